package gui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// calmTheme is the default Fyne theme with muted colours, for people who read hostile content for
// hours: no pure white or black, a desaturated blue-grey accent, soft error colours. It follows
// the system's light or dark variant unless the reader chose one in Settings ▸ Appearance.
type calmTheme struct {
	appearance string // "", appearanceLight or appearanceDark
}

// Appearance choices (the prefAppearance preference).
const (
	appearanceLight = "light"
	appearanceDark  = "dark"
)

var _ fyne.Theme = calmTheme{}

// colorNameRaid shades raid windows in timelines; colorNameRaidBar fills the bars inside them.
const (
	colorNameRaid    fyne.ThemeColorName = "raidtraceRaid"
	colorNameRaidBar fyne.ThemeColorName = "raidtraceRaidBar"
)

func rgb(r, g, b uint8) color.NRGBA     { return color.NRGBA{R: r, G: g, B: b, A: 0xff} }
func rgba(r, g, b, a uint8) color.NRGBA { return color.NRGBA{R: r, G: g, B: b, A: a} }

func (t calmTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	switch t.appearance {
	case appearanceLight:
		v = theme.VariantLight
	case appearanceDark:
		v = theme.VariantDark
	}
	dark := v == theme.VariantDark
	pick := func(light, darkc color.Color) color.Color {
		if dark {
			return darkc
		}
		return light
	}
	switch n {
	case theme.ColorNameBackground:
		return pick(rgb(0xf3, 0xf1, 0xec), rgb(0x22, 0x25, 0x28))
	case theme.ColorNameForeground:
		return pick(rgb(0x3a, 0x3f, 0x44), rgb(0xd4, 0xd2, 0xcc))
	case theme.ColorNameButton:
		return pick(rgb(0xe4, 0xe1, 0xda), rgb(0x33, 0x37, 0x3b))
	case theme.ColorNameInputBackground:
		return pick(rgb(0xfa, 0xf9, 0xf6), rgb(0x2b, 0x2f, 0x33))
	case theme.ColorNameMenuBackground, theme.ColorNameOverlayBackground:
		return pick(rgb(0xf7, 0xf5, 0xf1), rgb(0x2a, 0x2d, 0x31))
	case theme.ColorNameHeaderBackground:
		return pick(rgb(0xe8, 0xe5, 0xde), rgb(0x2c, 0x30, 0x34))
	case theme.ColorNamePrimary: // also the colour of marked words in texts: readable as text
		return pick(rgb(0x4f, 0x6b, 0x7b), rgb(0x86, 0xa3, 0xb3))
	case theme.ColorNameFocus:
		return pick(rgba(0x5b, 0x7a, 0x8c, 0x55), rgba(0x86, 0xa3, 0xb3, 0x55))
	case theme.ColorNameSelection:
		return pick(rgba(0x5b, 0x7a, 0x8c, 0x33), rgba(0x86, 0xa3, 0xb3, 0x33))
	case theme.ColorNameHover:
		return pick(rgba(0x3a, 0x3f, 0x44, 0x12), rgba(0xd4, 0xd2, 0xcc, 0x12))
	// Error, warning and success colour labels ("not recognised", "confirmed"): text, so at
	// least 4.5:1 on the background like the rest.
	case theme.ColorNameError:
		return pick(rgb(0x8f, 0x4c, 0x43), rgb(0xc4, 0x8a, 0x80))
	case theme.ColorNameWarning:
		return pick(rgb(0x7d, 0x62, 0x30), rgb(0xc9, 0xab, 0x78))
	case theme.ColorNameSuccess:
		return pick(rgb(0x4d, 0x70, 0x56), rgb(0x8d, 0xb0, 0x93))
	case theme.ColorNameDisabledButton:
		// Flatter than an enabled button: with the secondary text colour below, that is what
		// tells a disabled button from an enabled one.
		return pick(rgb(0xee, 0xec, 0xe7), rgb(0x27, 0x2a, 0x2d))
	case theme.ColorNameDisabled:
		// Disabled controls, and every low-importance label (status bar, raid list lines, "to
		// review", explanations under the key figures): secondary text, lighter than the
		// foreground but readable, at least 4.5:1 on the background and on a selected or
		// hovered row (TestThemeVariants).
		return pick(rgb(0x59, 0x5e, 0x63), rgb(0xa6, 0xaa, 0xae))
	case theme.ColorNamePlaceHolder:
		// Placeholders, form hints, the timeline's axis and muted cells: secondary text too
		// (a shade apart from the disabled colour, so that markup goldens name it).
		return pick(rgb(0x58, 0x5d, 0x62), rgb(0xa7, 0xab, 0xaf))
	case theme.ColorNameSeparator:
		return pick(rgb(0xdd, 0xda, 0xd2), rgb(0x36, 0x3a, 0x3e))
	case theme.ColorNameInputBorder:
		return pick(rgb(0xc9, 0xc6, 0xbe), rgb(0x4a, 0x4e, 0x53))
	case theme.ColorNameScrollBar:
		return pick(rgba(0x3a, 0x3f, 0x44, 0x66), rgba(0xd4, 0xd2, 0xcc, 0x66))
	case theme.ColorNameShadow:
		return pick(rgba(0, 0, 0, 0x22), rgba(0, 0, 0, 0x55))
	case theme.ColorNamePressed:
		return pick(rgba(0x3a, 0x3f, 0x44, 0x22), rgba(0xd4, 0xd2, 0xcc, 0x22))
	case theme.ColorNameForegroundOnPrimary:
		return pick(rgb(0xfd, 0xfc, 0xfa), rgb(0x1e, 0x21, 0x24))
	case colorNameRaidBar:
		return pick(rgb(0xb0, 0x7d, 0x62), rgb(0xc9, 0x9a, 0x80))
	case colorNameRaid:
		return pick(rgba(0xb0, 0x7d, 0x62, 0x40), rgba(0xc9, 0x9a, 0x80, 0x40))
	}
	return theme.DefaultTheme().Color(n, v)
}

func (calmTheme) Font(s fyne.TextStyle) fyne.Resource     { return theme.DefaultTheme().Font(s) }
func (calmTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return theme.DefaultTheme().Icon(n) }
func (calmTheme) Size(n fyne.ThemeSizeName) float32       { return theme.DefaultTheme().Size(n) }
