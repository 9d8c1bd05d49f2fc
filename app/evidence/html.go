package evidence

import (
	"bufio"
	"fmt"
	"html"
	"io"
	"strings"
	"time"
)

const css = `body{font-family:"DejaVu Sans",Verdana,Arial,sans-serif;font-size:14px;line-height:1.45;color:#1d1d1f;max-width:1100px;margin:2em auto;padding:0 1.5em}
h1{font-size:1.5em;border-bottom:2px solid #8b1e1e;padding-bottom:.2em;margin-top:2em}h2{font-size:1.2em;margin-top:1.6em;color:#8b1e1e}
table{border-collapse:collapse;width:100%;margin:.6em 0 1.2em}th,td{border:1px solid #c8c8c8;padding:3px 6px;text-align:left;vertical-align:top;word-break:break-word}
th{background:#eee}table.kv th{width:28%;background:#f6f6f6}tr:nth-child(even) td{background:#fafafa}
.note{border:1px solid #c77;background:#fff4f4;padding:.6em .9em;margin:1em 0}
pre{white-space:pre-wrap;background:#f6f6f6;border:1px solid #ddd;padding:.8em;font-size:12px}
mark{background:#ffd6d6;color:#8b1e1e;font-weight:bold}code,.hash{font-family:"DejaVu Sans Mono",monospace;font-size:12px;word-break:break-all}
nav ul{columns:2}svg{width:100%;height:auto;border:1px solid #ddd}.legend span{display:inline-block;width:1em;height:.8em;margin:0 .3em 0 1em}
@media print{body{max-width:none}h1{page-break-before:always}h1:first-of-type{page-break-before:avoid}}`

// WriteHTML renders the report as one self-contained HTML file (inline CSS and SVG, no script,
// no external resource).
func (m *Model) WriteHTML(w io.Writer, t *tr) error {
	bw := bufio.NewWriter(w)
	e := html.EscapeString
	doc := m.document(t, 0)
	fmt.Fprintf(bw, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n", e(t.Lang))
	bw.WriteString("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
	bw.WriteString("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n")
	fmt.Fprintf(bw, "<title>%s — %s</title>\n<style>%s</style>\n</head>\n<body>\n", e(t.T("title")), e(m.Info.ID), css)
	// table of contents
	bw.WriteString("<nav><ul>\n")
	for _, b := range doc {
		if b.Kind == bHeading && b.Level == 1 && b.ID != "cover" {
			fmt.Fprintf(bw, "<li><a href=\"#%s\">%s</a></li>\n", e(b.ID), e(b.Text))
		}
	}
	bw.WriteString("</ul></nav>\n")
	for _, b := range doc {
		switch b.Kind {
		case bHeading:
			fmt.Fprintf(bw, "<h%d id=\"%s\">%s</h%d>\n", b.Level, e(b.ID), e(b.Text), b.Level)
		case bPara:
			fmt.Fprintf(bw, "<p>%s</p>\n", e(b.Text))
		case bNote:
			fmt.Fprintf(bw, "<div class=\"note\">%s</div>\n", e(b.Text))
		case bKV:
			bw.WriteString("<table class=\"kv\">\n")
			for _, r := range b.Rows {
				fmt.Fprintf(bw, "<tr><th>%s</th><td>%s</td></tr>\n", e(r[0]), e(r[1]))
			}
			bw.WriteString("</table>\n")
		case bTable:
			bw.WriteString("<table>\n<thead><tr>")
			for _, c := range b.Head {
				fmt.Fprintf(bw, "<th>%s</th>", e(c))
			}
			bw.WriteString("</tr></thead>\n<tbody>\n")
			b.eachRow(func(r []string) {
				bw.WriteString("<tr>")
				for _, c := range r {
					fmt.Fprintf(bw, "<td>%s</td>", strings.ReplaceAll(e(c), "\n", "<br>"))
				}
				bw.WriteString("</tr>\n")
			})
			bw.WriteString("</tbody></table>\n")
		case bMono:
			fmt.Fprintf(bw, "<pre>%s</pre>\n", e(b.Text))
		case bChart:
			m.writeSVG(bw, t, b.Chart)
		case bVariants:
			bw.WriteString("<table>\n<thead><tr>")
			fmt.Fprintf(bw, "<th>%s</th><th>%s</th></tr></thead>\n<tbody>\n", e(t.T("col_count")), e(t.T("col_variant")))
			for _, v := range b.Raid.Variants {
				fmt.Fprintf(bw, "<tr><td>%d</td><td>", v.Count)
				for _, s := range v.Diff {
					if s.Changed {
						fmt.Fprintf(bw, "<mark>%s</mark>", e(s.Text))
					} else {
						bw.WriteString(e(s.Text))
					}
				}
				bw.WriteString("</td></tr>\n")
			}
			if more := b.Raid.VariantCount - len(b.Raid.Variants); more > 0 {
				fmt.Fprintf(bw, "<tr><td></td><td>%s</td></tr>\n", e(t.F("more_variants", more)))
			}
			bw.WriteString("</tbody></table>\n")
		case bPageBreak:
		}
	}
	fmt.Fprintf(bw, "<footer><p>%s — %s — %s</p></footer>\n</body>\n</html>\n", e(t.T("title")), e(m.Info.ID), e(m.fmtT(m.Generated)))
	return bw.Flush()
}

// maxVariants is how many variants of a raid the report lists (all are in messages.csv).
const maxVariants = 25

// writeSVG draws a timeline chart (see chartSpec): incoming messages per interval (grey), raid
// messages (red), then under the axis one lane per raid window, numbered in the left margin.
func (m *Model) writeSVG(w io.Writer, t *tr, c *chartSpec) {
	const W, left, right, top, plotH = 1000.0, 50.0, 10.0, 14.0, 220.0
	e := html.EscapeString
	tl := c.TL
	n := len(tl.All)
	if n == 0 {
		return
	}
	peak := c.Peak()
	plotW := W - left - right
	base := top + plotH // the time axis
	laneTop := base + 24
	laneH := min(14.0, 140/float64(max(len(c.Lanes), 1)))
	font := min(11.0, max(laneH-2, 8))
	every := laneLabelEvery(laneH, font)
	H := laneTop + laneH*float64(len(c.Lanes)) + 26
	bw := plotW / float64(n)
	y := func(v int) float64 { return base - plotH*float64(v)/float64(peak) }
	x := func(tm time.Time) float64 { return left + plotW*c.frac(tm) }
	fmt.Fprintf(w, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %g %g\" role=\"img\" aria-label=\"%s\">\n", W, H, e(t.T(c.ID)))
	for i, v := range tl.All {
		if v == 0 {
			continue
		}
		bx := left + float64(i)*bw
		fmt.Fprintf(w, "<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%.1f\" fill=\"#9a9a9a\"/>\n", bx, y(v), max(bw-0.5, 0.5), base-y(v))
		if r := tl.InRaid[i]; r > 0 {
			fmt.Fprintf(w, "<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%.1f\" fill=\"#b22222\"/>\n", bx, y(r), max(bw-0.5, 0.5), base-y(r))
		}
	}
	fmt.Fprintf(w, "<line x1=\"%g\" y1=\"%g\" x2=\"%g\" y2=\"%g\" stroke=\"#333\"/>\n", left, base, W-right, base)
	fmt.Fprintf(w, "<line x1=\"%g\" y1=\"%g\" x2=\"%g\" y2=\"%g\" stroke=\"#333\"/>\n", left, top, left, base)
	fmt.Fprintf(w, "<text x=\"%g\" y=\"%g\" font-size=\"11\" text-anchor=\"end\">%s</text>\n", left-4, top+10, e(t.N(peak)))
	fmt.Fprintf(w, "<text x=\"%g\" y=\"%g\" font-size=\"11\" text-anchor=\"end\">0</text>\n", left-4, base)
	for _, k := range c.Ticks {
		tx := x(k.At)
		anchor := "middle"
		if tx > W-right-40 {
			anchor = "end"
		} else if tx < left+40 {
			anchor = "start"
		}
		fmt.Fprintf(w, "<line x1=\"%.1f\" y1=\"%g\" x2=\"%.1f\" y2=\"%g\" stroke=\"#333\"/>\n", tx, base, tx, base+4)
		fmt.Fprintf(w, "<text class=\"tick\" x=\"%.1f\" y=\"%g\" font-size=\"11\" text-anchor=\"%s\">%s</text>\n", tx, base+16, anchor, e(k.Label))
	}
	// one lane per raid, after the bars; the number sits in the left margin, so it never covers
	// a bar or another number
	for i, l := range c.Lanes {
		ly := laneTop + float64(i)*laneH
		if i%2 == 0 {
			fmt.Fprintf(w, "<rect x=\"%g\" y=\"%.1f\" width=\"%g\" height=\"%.1f\" fill=\"#f4f4f4\"/>\n", left, ly, plotW, laneH)
		}
		x0, x1 := x(l.Start), x(l.End)
		fmt.Fprintf(w, "<rect class=\"lane\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#e07a7a\"><title>%s</title></rect>\n",
			x0, ly+1, max(x1-x0, 2), max(laneH-2, 1), e(t.F("raid_title", l.ID, t.N(l.Size), t.N(l.Senders))))
		if i%every == 0 {
			fmt.Fprintf(w, "<text class=\"lane-label\" x=\"%g\" y=\"%.1f\" font-size=\"%.1f\" text-anchor=\"end\" fill=\"#8b1e1e\">%d</text>\n",
				left-4, ly+laneH/2+font*0.35, font, l.ID)
		}
	}
	a, b := chartRange(c)
	fmt.Fprintf(w, "<text x=\"%g\" y=\"%g\" font-size=\"11\" text-anchor=\"middle\">%s</text>\n", W/2, H-6, e(t.F("chart_axis", a, b, durationText(t, tl.Width))))
	io.WriteString(w, "</svg>\n")
	fmt.Fprintf(w, "<p class=\"legend\"><span style=\"background:#9a9a9a\"></span>%s<span style=\"background:#b22222\"></span>%s<span style=\"background:#e07a7a\"></span>%s</p>\n",
		e(t.T("legend_all")), e(t.T("legend_raid")), e(t.T("legend_window")))
}
