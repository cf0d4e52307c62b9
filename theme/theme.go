// Package theme holds every colour and border Beacon draws with. Styles are built per
// renderer, so each terminal (each SSH client too) gets colours for its own profile and
// background; nothing here is package-level mutable state.
package theme

import (
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"beacon/store"
)

// Palette colours, each adaptive for light and dark backgrounds and chosen from the 256-colour
// range so they hold up where truecolor is missing.
var (
	green  = lipgloss.AdaptiveColor{Light: "28", Dark: "78"}
	grey   = lipgloss.AdaptiveColor{Light: "244", Dark: "246"}
	blue   = lipgloss.AdaptiveColor{Light: "26", Dark: "75"}
	yellow = lipgloss.AdaptiveColor{Light: "136", Dark: "220"}
	orange = lipgloss.AdaptiveColor{Light: "166", Dark: "208"}
	red    = lipgloss.AdaptiveColor{Light: "160", Dark: "203"}
	subtle = lipgloss.AdaptiveColor{Light: "250", Dark: "238"}
	faint  = lipgloss.AdaptiveColor{Light: "245", Dark: "243"}
	text   = lipgloss.AdaptiveColor{Light: "235", Dark: "252"}
	accent = lipgloss.AdaptiveColor{Light: "62", Dark: "141"}
	selBG  = lipgloss.AdaptiveColor{Light: "254", Dark: "236"}
	code   = lipgloss.AdaptiveColor{Light: "130", Dark: "180"}
)

// Styles is every style Beacon uses, built from one renderer.
type Styles struct {
	Renderer *lipgloss.Renderer

	Status   map[store.Status]lipgloss.Style
	Incident map[store.IncidentStatus]lipgloss.Style
	Banner   map[store.Indicator]lipgloss.Style

	App       lipgloss.Style // the whole screen's padding
	Title     lipgloss.Style // a view's or section's title
	Header    lipgloss.Style // the top bar holding the banner
	Tab       lipgloss.Style
	ActiveTab lipgloss.Style
	Group     lipgloss.Style // a group's name in the component list
	Selected  lipgloss.Style // the row under the cursor
	Normal    lipgloss.Style
	Faint     lipgloss.Style // secondary text: times, counts, descriptions
	Accent    lipgloss.Style // keys and highlights
	Error     lipgloss.Style
	Success   lipgloss.Style
	Box       lipgloss.Style // a bordered panel (dialogs, the review)
	Rule      lipgloss.Style // a horizontal divider
	StepDone  lipgloss.Style // composer step bar
	StepNow   lipgloss.Style
	StepLater lipgloss.Style
	Input     lipgloss.Style // a focused text field's frame
	Help      HelpStyles
	Markdown  MarkdownStyles
}

// MarkdownStyles style update messages, rendered from Markdown. Emphasis adds bold or italics
// to whichever of these it falls in.
type MarkdownStyles struct {
	Text    lipgloss.Style // a paragraph's words
	Heading lipgloss.Style
	Code    lipgloss.Style // inline code and code blocks
	Link    lipgloss.Style // a link's text
	URL     lipgloss.Style // where a link goes, after its text
	Quote   lipgloss.Style // the bar before quoted lines
	Marker  lipgloss.Style // a list item's bullet or number
	Rule    lipgloss.Style // a thematic break
}

// HelpStyles style the bubbles/help footer.
type HelpStyles struct {
	Key, Desc, Sep lipgloss.Style
}

// New builds the styles for a renderer. The renderer's own environment decides the colour
// profile (lipgloss honours NO_COLOR there: the local one for the CLI and console, the
// client's for an SSH session).
func New(r *lipgloss.Renderer) *Styles {
	if r.ColorProfile() == termenv.Ascii {
		r.SetHasDarkBackground(true) // no colour, so no need to ask the terminal
	}
	fg := func(c lipgloss.TerminalColor) lipgloss.Style { return r.NewStyle().Foreground(c) }
	s := &Styles{
		Renderer: r,
		Status: map[store.Status]lipgloss.Style{
			store.Operational:       fg(green),
			store.Unknown:           fg(grey),
			store.UnderMaintenance:  fg(blue),
			store.PerformanceIssues: fg(yellow),
			store.PartialOutage:     fg(orange),
			store.MajorOutage:       fg(red).Bold(true),
		},
		Incident: map[store.IncidentStatus]lipgloss.Style{
			store.Investigating: fg(red),
			store.Identified:    fg(orange),
			store.Watching:      fg(blue),
			store.Fixed:         fg(green),
		},
		Banner: map[store.Indicator]lipgloss.Style{
			store.IndicatorNone:        fg(green).Bold(true),
			store.IndicatorMaintenance: fg(blue).Bold(true),
			store.IndicatorMinor:       fg(yellow).Bold(true),
			store.IndicatorMajor:       fg(orange).Bold(true),
			store.IndicatorCritical:    fg(red).Bold(true),
		},
		App:       r.NewStyle().Padding(0, 1),
		Title:     fg(accent).Bold(true),
		Header:    r.NewStyle().BorderStyle(lipgloss.NormalBorder()).BorderBottom(true).BorderForeground(subtle),
		Tab:       fg(faint).Padding(0, 1),
		ActiveTab: fg(text).Bold(true).Underline(true).Padding(0, 1),
		Group:     fg(text).Bold(true),
		Selected:  r.NewStyle().Background(selBG).Bold(true),
		Normal:    fg(text),
		Faint:     fg(faint),
		Accent:    fg(accent),
		Error:     fg(red),
		Success:   fg(green),
		Box:       r.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(subtle).Padding(0, 1),
		Rule:      fg(subtle),
		StepDone:  fg(green),
		StepNow:   fg(accent).Bold(true).Underline(true),
		StepLater: fg(faint),
		Input:     r.NewStyle().Border(lipgloss.NormalBorder()).BorderForeground(accent).Padding(0, 1),
		Help: HelpStyles{
			Key:  fg(accent),
			Desc: fg(faint),
			Sep:  fg(subtle),
		},
		Markdown: MarkdownStyles{
			Text:    fg(text),
			Heading: fg(accent).Bold(true),
			Code:    fg(code),
			Link:    fg(blue).Underline(true),
			URL:     fg(faint),
			Quote:   fg(faint),
			Marker:  fg(accent),
			Rule:    fg(subtle),
		},
	}
	return s
}

// StatusText renders a component status as glyph and word, coloured: it reads without colour.
func (s *Styles) StatusText(st store.Status) string {
	return s.Status[st].Render(st.Glyph() + " " + st.Label())
}

// StatusGlyph renders only the coloured glyph of a status, for tight spots beside its word.
func (s *Styles) StatusGlyph(st store.Status) string {
	return s.Status[st].Render(st.Glyph())
}

// IncidentText renders an incident status as its word, coloured.
func (s *Styles) IncidentText(st store.IncidentStatus) string {
	return s.Incident[st].Render(st.Label())
}

// BannerText renders the overall banner: a glyph and the description, coloured by indicator.
func (s *Styles) BannerText(b store.Banner) string {
	return s.Banner[b.Indicator].Render(BannerGlyph(b.Indicator) + " " + b.Description)
}

// BannerGlyph is the symbol shown before the banner's words.
func BannerGlyph(i store.Indicator) string {
	switch i {
	case store.IndicatorNone:
		return store.Operational.Glyph()
	case store.IndicatorMaintenance:
		return store.UnderMaintenance.Glyph()
	case store.IndicatorMinor:
		return store.PerformanceIssues.Glyph()
	case store.IndicatorMajor:
		return store.PartialOutage.Glyph()
	}
	return store.MajorOutage.Glyph()
}
