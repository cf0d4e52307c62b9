// Package publicid turns the store's sequential record ids into the opaque ids the public
// site shows, and back.
//
// Incidents, their updates and maintenance windows take their numbers from sequences shared
// by public and internal records, so the numbers themselves would tell a reader that internal
// records exist, how many, and when. A public id is instead a keyed permutation of the number:
// a Feistel network over 60 bits (two 30-bit halves, Rounds rounds) keyed by a secret kept in
// the database, with the record's kind in every round's input. Without the key a public id
// says nothing about the number, its order or its kind; the same number gives unrelated ids
// for an incident, an update and a window. There is no lookup table: decoding is the inverse
// permutation. The 60 bits are written as Length characters of a lowercase base-32 alphabet,
// like Statuspage's ids ("p31zjtct2jer").
//
// The round function is AES-256 of the kind, the round's number and the half, under a key
// derived from the secret with HMAC-SHA256; 30 bits of the block are the round's output. AES
// rather than HMAC-SHA256 in every round because an export writes a link and a file name for
// each of 100,000 incidents: an id costs about 0.3 µs so, 3.5 µs with ten HMACs.
package publicid

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
)

// Kind is the kind of record an id names; each kind permutes the numbers differently.
type Kind byte

// The kinds of records with public ids.
const (
	Incident          Kind = 1 // an incident
	IncidentUpdate    Kind = 2 // an update of an incident
	Maintenance       Kind = 3 // a maintenance window
	MaintenanceUpdate Kind = 4 // an update of a maintenance window
)

// Length is how many characters a public id has.
const Length = 12

// MaxID is the largest record id that has a public id (60 bits).
const MaxID = 1<<60 - 1

// Rounds is how many Feistel rounds the permutation runs.
const Rounds = 10

// KeySize is the size of the secret key in bytes.
const KeySize = 32

// alphabet is Crockford's base 32 in lowercase: digits and letters but i, l, o and u.
const alphabet = "0123456789abcdefghjkmnpqrstvwxyz"

const (
	halfBits = 30
	halfMask = 1<<halfBits - 1
)

// decodeTable maps a byte to its value in alphabet, or 0xff when it is not in it.
var decodeTable = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xff
	}
	for i := range len(alphabet) {
		t[alphabet[i]] = byte(i)
	}
	return t
}()

// Codec encodes and decodes public ids under one key. Safe for concurrent use.
type Codec struct {
	round       cipher.Block // the round function's cipher; safe for concurrent use
	fingerprint string
}

// ErrKeySize is returned by New for a key that is not KeySize bytes long.
var ErrKeySize = errors.New("publicid: the key must be 32 bytes")

// New returns a codec for key, which must be KeySize secret random bytes.
func New(key []byte) (*Codec, error) {
	if len(key) != KeySize {
		return nil, ErrKeySize
	}
	block, err := aes.NewCipher(derive(key, "beacon public id feistel rounds"))
	if err != nil {
		return nil, err
	}
	return &Codec{round: block, fingerprint: hex.EncodeToString(derive(key, "beacon public id key fingerprint")[:16])}, nil
}

// derive is a key for one purpose, made from the secret.
func derive(key []byte, purpose string) []byte {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(purpose))
	return mac.Sum(nil)
}

// Fingerprint names the key without revealing it: two codecs with the same fingerprint give
// the same ids.
func (c *Codec) Fingerprint() string { return c.fingerprint }

// Encode is the public id of the record of kind with the number id; "" when id is outside
// 0…MaxID (never a valid public id, so a link to it finds nothing).
func (c *Codec) Encode(kind Kind, id int64) string {
	if id < 0 || id > MaxID {
		return ""
	}
	var buf [Length]byte
	return string(c.AppendEncoded(buf[:0], kind, id))
}

// AppendEncoded appends Encode's id to dst; nothing when id is outside 0…MaxID.
func (c *Codec) AppendEncoded(dst []byte, kind Kind, id int64) []byte {
	if id < 0 || id > MaxID {
		return dst
	}
	x := c.permute(kind, uint64(id), false)
	for i := Length - 1; i >= 0; i-- {
		dst = append(dst, alphabet[(x>>(5*uint(i)))&31])
	}
	return dst
}

// Decode is the number of the record of kind whose public id is s; false when s is not
// Length characters of the alphabet. Any such string decodes to some number: whether a record
// of that kind has it, and is public, is for the caller to find out.
func (c *Codec) Decode(kind Kind, s string) (int64, bool) {
	if len(s) != Length {
		return 0, false
	}
	var x uint64
	for i := range Length {
		v := decodeTable[s[i]]
		if v == 0xff {
			return 0, false
		}
		x = x<<5 | uint64(v)
	}
	return int64(c.permute(kind, x, true)), true
}

// permute runs the Feistel network over the 60 bits of x, forwards or backwards.
func (c *Codec) permute(kind Kind, x uint64, inverse bool) uint64 {
	scratch := make([]byte, 2*aes.BlockSize) // the cipher's input and output
	l, r := x>>halfBits&halfMask, x&halfMask
	if !inverse {
		for i := range Rounds {
			l, r = r, l^c.f(scratch, kind, i, r)
		}
	} else {
		for i := Rounds - 1; i >= 0; i-- {
			l, r = r^c.f(scratch, kind, i, l), l
		}
	}
	return l<<halfBits | r
}

// f is the round function: 30 bits of the cipher's block of the kind, the round and the half.
func (c *Codec) f(scratch []byte, kind Kind, round int, half uint64) uint64 {
	in, out := scratch[:aes.BlockSize], scratch[aes.BlockSize:]
	clear(in)
	in[0], in[1] = byte(kind), byte(round)
	binary.BigEndian.PutUint32(in[2:], uint32(half))
	c.round.Encrypt(out, in)
	return uint64(binary.BigEndian.Uint32(out)) & halfMask
}
