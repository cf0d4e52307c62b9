package publicid

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"testing/quick"
)

func testKey(b byte) []byte { return bytes.Repeat([]byte{b}, KeySize) }

func codec(t testing.TB, b byte) *Codec {
	t.Helper()
	c, err := New(testKey(b))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestEncodeKnown pins the permutation: a change here changes every public address a reader
// may have kept. The values were checked against a separate implementation of the same
// construction (the round key HMAC-SHA256 of the secret and the purpose; each round AES-256 of
// kind, round and the half as a big-endian uint32, zero-padded; the block's first four bytes,
// masked to 30 bits).
func TestEncodeKnown(t *testing.T) {
	c := codec(t, 7)
	for _, tc := range []struct {
		kind Kind
		id   int64
		want string
	}{
		{Incident, 1, "wr9jcvyy3nye"},
		{Incident, 2, "410t1msw00hq"},
		{Incident, 7, "rksdqr0mjxdv"},
		{IncidentUpdate, 7, "0r3s9hp37sxq"},
		{Maintenance, 7, "1b8g0wnnghp8"},
		{MaintenanceUpdate, 7, "1w0tzrjbh23w"},
		{Incident, 0, "xs8zs0pdrvcw"},
		{Incident, MaxID, "nkc0p7p7mf6a"},
		{Incident, -1, ""},
		{Incident, MaxID + 1, ""},
	} {
		if got := c.Encode(tc.kind, tc.id); got != tc.want {
			t.Errorf("Encode(%d, %d) = %q; want %q", tc.kind, tc.id, got, tc.want)
		}
		if tc.want == "" {
			continue
		}
		if got, ok := c.Decode(tc.kind, tc.want); !ok || got != tc.id {
			t.Errorf("Decode(%d, %q) = %d, %v; want %d", tc.kind, tc.want, got, ok, tc.id)
		}
	}
}

func TestDecodeRefuses(t *testing.T) {
	c := codec(t, 7)
	for _, s := range []string{
		"", "7", "0000000007", "wr9jcvyy3ny", "wr9jcvyy3nyem", // lengths
		"WR9JCVYY3NYE", "Wr9jcvyy3nye", // upper case
		"wr9jcvyy3nyi", "wr9jcvyy3nyl", "wr9jcvyy3nyo", "wr9jcvyy3nyu", // letters outside the alphabet
		"wr9jcvyy3n-m", "wr9jcvyy3n m", "wr9jcvyy3n/m", "wr9jcvyy3n\x00m", "wr9jcvyy3né",
	} {
		if id, ok := c.Decode(Incident, s); ok {
			t.Errorf("Decode(%q) = %d, true; want false", s, id)
		}
	}
}

// TestRoundTrip: decoding undoes encoding for every kind, and every string of the alphabet is
// the encoding of exactly what it decodes to, so one record has one address.
func TestRoundTrip(t *testing.T) {
	c := codec(t, 42)
	kinds := []Kind{Incident, IncidentUpdate, Maintenance, MaintenanceUpdate}
	ids := func(id int64, k uint8) bool {
		id &= MaxID
		kind := kinds[int(k)%len(kinds)]
		s := c.Encode(kind, id)
		got, ok := c.Decode(kind, s)
		return len(s) == Length && ok && got == id
	}
	if err := quick.Check(ids, &quick.Config{MaxCount: 20000}); err != nil {
		t.Error(err)
	}
	strs := func(raw [Length]uint8, k uint8) bool {
		var b strings.Builder
		for _, r := range raw {
			b.WriteByte(alphabet[r%32])
		}
		kind := kinds[int(k)%len(kinds)]
		id, ok := c.Decode(kind, b.String())
		return ok && id >= 0 && id <= MaxID && c.Encode(kind, id) == b.String()
	}
	if err := quick.Check(strs, &quick.Config{MaxCount: 20000}); err != nil {
		t.Error(err)
	}
}

// TestKindsDiffer: the same number gives unrelated ids for each kind of record.
func TestKindsDiffer(t *testing.T) {
	c := codec(t, 1)
	seen := map[string]bool{}
	for id := int64(1); id <= 2000; id++ {
		for _, kind := range []Kind{Incident, IncidentUpdate, Maintenance, MaintenanceUpdate} {
			s := c.Encode(kind, id)
			if seen[s] {
				t.Fatalf("%q given twice (kind %d, id %d)", s, kind, id)
			}
			seen[s] = true
		}
		if a, b := c.Encode(Incident, id), c.Encode(Maintenance, id); a[:4] == b[:4] && a[8:] == b[8:] {
			t.Errorf("incident and window %d share much of their ids: %s, %s", id, a, b)
		}
	}
}

// TestRevealsNothingWithoutTheKey: consecutive numbers give ids in no order, another key
// gives other ids, and decoding with the wrong key does not find the number.
func TestRevealsNothingWithoutTheKey(t *testing.T) {
	c, other := codec(t, 1), codec(t, 2)
	var list []string
	found := 0
	for id := int64(1); id <= 1000; id++ {
		s := c.Encode(Incident, id)
		list = append(list, s)
		if other.Encode(Incident, id) == s {
			t.Errorf("id %d encodes the same under two keys", id)
		}
		if got, _ := other.Decode(Incident, s); got == id {
			found++
		}
	}
	if slices.IsSorted(list) || found > 0 {
		t.Errorf("sorted %v, %d of 1000 decoded with the wrong key", slices.IsSorted(list), found)
	}
	// Consecutive ids should not share a prefix more than chance allows (1 in 32 per letter).
	same := 0
	for i := 1; i < len(list); i++ {
		if list[i][0] == list[i-1][0] {
			same++
		}
	}
	if same > 100 {
		t.Errorf("%d of 999 consecutive ids share their first letter", same)
	}
	if c.Fingerprint() == other.Fingerprint() || c.Fingerprint() != codec(t, 1).Fingerprint() {
		t.Error("fingerprints should name the key")
	}
}

func TestNewRefusesShortKey(t *testing.T) {
	for _, n := range []int{0, 16, 31, 33} {
		if _, err := New(make([]byte, n)); err != ErrKeySize {
			t.Errorf("New(%d bytes) = %v; want ErrKeySize", n, err)
		}
	}
}

func BenchmarkEncode(b *testing.B) {
	c := codec(b, 1)
	buf := make([]byte, 0, Length)
	for i := range b.N {
		buf = c.AppendEncoded(buf[:0], Incident, int64(i))
	}
}
