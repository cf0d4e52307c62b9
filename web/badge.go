package web

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"strings"

	"beacon/store"
)

// badgeValue is the banner in a word or two, and its colour (shields.io's palette).
func badgeValue(i store.Indicator) (text, colour string) {
	switch i {
	case store.IndicatorNone:
		return "operational", "#4c1"
	case store.IndicatorMaintenance:
		return "maintenance", "#007ec6"
	case store.IndicatorMinor:
		return "degraded", "#dfb317"
	case store.IndicatorMajor:
		return "partial outage", "#fe7d37"
	}
	return "major outage", "#e05d44"
}

// textWidth estimates the width in pixels of s in 11 px Verdana, as a shields badge sets it.
func textWidth(s string) int {
	w := 0
	for _, r := range s {
		switch {
		case strings.ContainsRune("ijlt .,:;!|'", r):
			w += 4
		case strings.ContainsRune("frI", r):
			w += 5
		case strings.ContainsRune("mwMW", r):
			w += 11
		case r >= 'A' && r <= 'Z':
			w += 8
		default:
			w += 7
		}
	}
	return w
}

const badgeSVG = `<svg xmlns="http://www.w3.org/2000/svg" width="%[1]d" height="20" role="img" aria-label="%[3]s: %[4]s">` +
	`<title>%[3]s: %[4]s</title>` +
	`<linearGradient id="s" x2="0" y2="100%%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>` +
	`<clipPath id="r"><rect width="%[1]d" height="20" rx="3" fill="#fff"/></clipPath>` +
	`<g clip-path="url(#r)"><rect width="%[2]d" height="20" fill="#555"/><rect x="%[2]d" width="%[5]d" height="20" fill="%[6]s"/><rect width="%[1]d" height="20" fill="url(#s)"/></g>` +
	`<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">` +
	`<text x="%[7]d" y="15" fill="#010101" fill-opacity=".3">%[3]s</text><text x="%[7]d" y="14">%[3]s</text>` +
	`<text x="%[8]d" y="15" fill="#010101" fill-opacity=".3">%[4]s</text><text x="%[8]d" y="14">%[4]s</text></g></svg>` + "\n"

func (v *view) badge(ctx context.Context) (*Response, error) {
	cur, err := v.now(ctx)
	if err != nil {
		return nil, err
	}
	label := "status"
	value, colour := badgeValue(cur.dash.Banner.Indicator)
	lw, rw := textWidth(label)+10, textWidth(value)+10
	body := fmt.Sprintf(badgeSVG, lw+rw, lw, template.HTMLEscapeString(label), template.HTMLEscapeString(value), rw, colour, lw/2, lw+rw/2)
	return newResponse(http.StatusOK, "image/svg+xml", []byte(body)), nil
}
