package store_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"beacon/store"
)

// runesOf lists every code point of a Unicode range table.
func runesOf(t *unicode.RangeTable) []rune {
	var out []rune
	for _, r := range t.R16 {
		for c := rune(r.Lo); c <= rune(r.Hi); c += rune(r.Stride) {
			out = append(out, c)
		}
	}
	for _, r := range t.R32 {
		for c := rune(r.Lo); c <= rune(r.Hi); c += rune(r.Stride) {
			out = append(out, c)
		}
	}
	return out
}

// TestInvisibleCharactersRefused: a name holding any format character (Cf), any other
// default-ignorable code point, a variation selector or a blank pattern, anywhere in it, is
// refused; so is one that is blank once they are gone. Every code point of each category is
// tried, at a random place in a random name.
func TestInvisibleCharactersRefused(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 14))
	categories := map[string][]rune{
		"Cf (format)":                  runesOf(unicode.Cf),
		"other default-ignorable":      runesOf(unicode.Other_Default_Ignorable_Code_Point),
		"variation selectors":          runesOf(unicode.Variation_Selector),
		"named in reports of the hole": {0x200B, 0xFEFF, 0x200E, 0x200F, 0x061C, 0x00AD, 0x034F, 0x3164, 0xE0001, 0xE0041, 0x2800},
	}
	bases := []string{"Website", "API", "Postgres primary", "Café", "東京"}
	for name, runes := range categories {
		if len(runes) == 0 {
			t.Fatalf("%s: no code points", name)
		}
		for _, r := range runes {
			base := []rune(bases[rng.IntN(len(bases))])
			at := rng.IntN(len(base) + 1)
			typed := string(base[:at]) + string(r) + string(base[at:])
			if _, err := store.CleanName("name", typed); err == nil {
				t.Errorf("%s: %U accepted in %q", name, r, typed)
			}
			if _, err := store.CleanName("name", strings.Repeat(string(r), 1+rng.IntN(3))); err == nil {
				t.Errorf("%s: a name of only %U accepted", name, r)
			}
		}
	}
	for _, ok := range []string{"Website", "Postgres primary", "Café", "東京 API", "Zürich-1", "naïve • edge"} {
		if _, err := store.CleanName("name", ok); err != nil {
			t.Errorf("%q refused: %v", ok, err)
		}
	}
}

// TestNameKey: names that read the same are one name: any change of case, and composed or
// decomposed accents. Checked over random names.
func TestNameKey(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 9))
	letters := []rune("abcdefghijklmnopqrstuvwxyzäöüéèßçñåøæœABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÜÉÈÇÑ東京 -")
	for i := 0; i < 2000; i++ {
		var b strings.Builder
		for n := 1 + rng.IntN(20); n > 0; n-- {
			b.WriteRune(letters[rng.IntN(len(letters))])
		}
		s := b.String()
		variants := []string{strings.ToUpper(s), strings.ToLower(s), norm.NFD.String(s), norm.NFC.String(strings.ToUpper(norm.NFD.String(s)))}
		for _, v := range variants {
			if store.NameKey(v) != store.NameKey(s) {
				t.Fatalf("%q and %q have different keys", s, v)
			}
		}
		if !utf8.ValidString(store.NameKey(s)) {
			t.Fatalf("key of %q is not UTF-8", s)
		}
	}
	if store.NameKey("Website") == store.NameKey("Websites") {
		t.Error("different names share a key")
	}
}

// TestNamesUniqueAfterNormalising: a component or group may not take a name that is another's
// once normalised and case-folded, on adding or renaming.
func TestNamesUniqueAfterNormalising(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	addComponent(t, st, "Café")
	other := addComponent(t, st, "API")
	for _, name := range []string{"CAFÉ", "Cafe\u0301", "café", "CAFE\u0301"} {
		if _, err := st.AddComponent(ctx, actor, store.NewComponent{Name: name}); !errors.Is(err, store.ErrConflict) {
			t.Errorf("added %q beside Café: %v", name, err)
		}
		if err := st.RenameComponent(ctx, actor, other.ID, name); !errors.Is(err, store.ErrConflict) {
			t.Errorf("renamed API to %q beside Café: %v", name, err)
		}
	}
	if err := st.RenameComponent(ctx, actor, other.ID, "api"); err != nil {
		t.Errorf("a component's own name in another case: %v", err)
	}
	if _, err := st.AddGroup(ctx, actor, "Über"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddGroup(ctx, actor, "U\u0308BER"); !errors.Is(err, store.ErrConflict) {
		t.Errorf("group Ü-decomposed added beside Über: %v", err)
	}
}
