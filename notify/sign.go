// Package notify sends Beacon's webhooks: it renders events in the endpoints' formats
// (Statuspage's webhook bodies, Slack messages, Beacon's own JSON), signs them the Standard
// Webhooks way, refuses private addresses, and runs the sender that drains the store's outbox
// with leases, retries and backoff.
package notify

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
)

// secretPrefix marks a Standard Webhooks signing secret; the rest is the key in base64.
const secretPrefix = "whsec_"

// NewSecret makes a random signing secret: whsec_ and 32 random bytes in base64.
func NewSecret() (string, error) {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return "", err
	}
	return secretPrefix + base64.StdEncoding.EncodeToString(key), nil
}

// secretKey is the HMAC key a secret holds.
func secretKey(secret string) ([]byte, error) {
	b64, ok := strings.CutPrefix(secret, secretPrefix)
	if !ok {
		return nil, errors.New("signing secret does not start with " + secretPrefix)
	}
	return base64.StdEncoding.DecodeString(b64)
}

// Sign is one signature of a message: "v1," and the base64 HMAC-SHA256, under the secret's
// key, of "id.timestamp.body".
func Sign(secret, id string, timestamp int64, body []byte) (string, error) {
	key, err := secretKey(secret)
	if err != nil {
		return "", err
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(id))
	mac.Write([]byte{'.'})
	mac.Write([]byte(strconv.FormatInt(timestamp, 10)))
	mac.Write([]byte{'.'})
	mac.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil)), nil
}

// SignatureHeader is the webhook-signature header: one signature per secret, space-separated
// (during a rotation the old and the new secret both sign).
func SignatureHeader(secrets []string, id string, timestamp int64, body []byte) (string, error) {
	sigs := make([]string, 0, len(secrets))
	for _, s := range secrets {
		sig, err := Sign(s, id, timestamp, body)
		if err != nil {
			return "", err
		}
		sigs = append(sigs, sig)
	}
	return strings.Join(sigs, " "), nil
}
