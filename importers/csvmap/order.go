package csvmap

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"raidtrace/importers"
)

// defaultOrder is the day/month order of a file that does not settle it and whose options do
// not give it: day first, as written in France and most of the world.
const defaultOrder = "DMY"

// maxHeld bounds the bytes of rows an [orderer] holds back while the order is not settled.
var maxHeld = 32 << 20

// dmValue matches a time value that starts with a day and a month in one order or the other
// ("02/01/2024 15:04", "2.1.24", "02-01-2024"): the values read differently by each order.
var dmValue = regexp.MustCompile(`^\s*(\d{1,2})[/.-](\d{1,2})[/.-]\d{2,4}`)

// evidence tells what a time value says of the order: "DMY" for a first field above 12, "MDY"
// for a second field above 12, "?" when both are 12 or less and differ (the value depends on
// the order), "" when it says nothing (another layout, the same day and month, or no date).
func evidence(v string) string {
	m := dmValue.FindStringSubmatch(v)
	if m == nil {
		return ""
	}
	a, _ := strconv.Atoi(m[1])
	b, _ := strconv.Atoi(m[2])
	switch {
	case a > 12 && b > 12:
		return "" // no date in either order
	case a > 12:
		return "DMY"
	case b > 12:
		return "MDY"
	case a != b:
		return "?"
	}
	return ""
}

func orderName(order string) importers.Msg {
	if order == "MDY" {
		return reasonMDY.M()
	}
	return reasonDMY.M()
}

var (
	reasonMDY          = importers.NewReason("order-mdy", "month/day/year")
	reasonDMY          = importers.NewReason("order-dmy", "day/month/year")
	reasonNoDate       = importers.NewReason("csv-order-scope-file", "no date in the file")
	reasonNoDateUpTo   = importers.NewReason("csv-order-scope-up-to", "no date up to {{.Row}}")
	reasonAmbiguous    = importers.NewReason("csv-order-ambiguous", "day/month order is ambiguous: {{.Scope}} has a field above 12 in column {{.Column}} (the first date it changes: {{.First}}); read as {{.Order}}. If the file is month first, re-import with the date order set to MDY (raidtrace import --date-order MDY)")
	reasonLateOrder    = importers.NewReason("csv-order-late", "day/month order: {{.At}} in column {{.Column}} can only be read as {{.Order}}, but the rows before it were read as {{.Was}} (the order was not settled then); re-import with the date order set to {{.Code}} (raidtrace import --date-order {{.Code}})")
	reasonContradicted = importers.NewReason("csv-order-contradiction", "day/month order: in column {{.Column}}, {{.By}} is only valid as {{.Was}} but {{.At}} only as {{.Order}}; read as {{.Was}} (re-import with the date order set, raidtrace import --date-order DMY or MDY, if this is wrong)")
)

// orderer settles the day/month order of the time column from the file, as importers/chattext
// does: a first field above 12 means day first, a second field above 12 month first. Rows are
// sent as they come until one depends on the order; from then on, until a row settles it, rows
// (and the problems reported between them, so that the order of the file is kept) are held back
// and sent once it is settled, or at the end of the file in [defaultOrder] with one warning
// naming the assumption and the option that changes it. At most [maxHeld] bytes of rows are
// held: past that the default is assumed there, with the same warning, and a later row that
// contradicts it gets a warning of its own.
//
// It is the [importers.Sink] given to csvrows.Rows, for its problems.
type orderer struct {
	sink    importers.Sink
	send    func(row []string, loc, order string) error
	timeCol int    // index of the time column; -1 when the order is not inferred
	column  string // its header name, for warnings
	order   string // "DMY" or "MDY" once settled or assumed, "" until then
	assumed bool   // order is the default, assumed without a row that settled it
	by      string // the row that settled the order: `line 5 ("13/01/2024")`
	first   string // the first row whose value depends on the order
	warned  bool   // a row contradicting the order was reported

	held      []heldRow
	heldBytes int
}

// heldRow is a row, or a problem when problem is set, held back until the order is known.
type heldRow struct {
	row     []string
	loc     string
	problem *importers.Problem
}

func (o *orderer) Record(r importers.Record) error { return o.sink.Record(r) }

func (o *orderer) Problem(p importers.Problem) {
	if len(o.held) > 0 {
		o.held = append(o.held, heldRow{problem: &p})
		return
	}
	o.sink.Problem(p)
}

// row is csvrows.Rows' callback.
func (o *orderer) row(row []string, loc string) error {
	if o.timeCol < 0 {
		return o.send(row, loc, o.order)
	}
	v := strings.TrimSpace(row[o.timeCol])
	switch e := evidence(v); {
	case e == "?":
		if o.first == "" {
			o.first = fmt.Sprintf("%s, %q", loc, v)
		}
	case e == "":
	case o.order == "":
		o.order, o.by = e, fmt.Sprintf("%s, %q", loc, v)
		if err := o.flush(); err != nil {
			return err
		}
	case e != o.order && !o.warned:
		o.warned = true
		o.contradicted(e, fmt.Sprintf("%s, %q", loc, v))
	}
	if o.order == "" && o.first != "" {
		o.held = append(o.held, heldRow{row: row, loc: loc})
		o.heldBytes += 64
		for _, f := range row {
			o.heldBytes += len(f) + 16
		}
		if o.heldBytes <= maxHeld {
			return nil
		}
		o.assume(loc)
		return o.flush()
	}
	order := o.order
	if order == "" {
		order = defaultOrder // this row does not depend on it
	}
	return o.send(row, loc, order)
}

// finish sends the rows still held, in the default order when nothing settled it.
func (o *orderer) finish() error {
	if o.order == "" && o.first != "" {
		o.assume("")
	}
	return o.flush()
}

// assume takes the default order without a row that settles it, and says so; upTo is the row
// where too many rows were held, "" at the end of the file.
func (o *orderer) assume(upTo string) {
	o.order, o.assumed = defaultOrder, true
	scope := reasonNoDate.M()
	if upTo != "" {
		scope = reasonNoDateUpTo.M("Row", upTo)
	}
	p := reasonAmbiguous.M("Scope", scope, "Column", strconv.Quote(o.column), "First", o.first, "Order", orderName(o.order)).Warning("file")
	p.Code = importers.CodeAmbiguousDateOrder
	o.sink.Problem(p)
}

// contradicted reports a row whose value settles the order the other way (at), once.
func (o *orderer) contradicted(order, at string) {
	var reason importers.Msg
	if o.assumed {
		reason = reasonLateOrder.M("At", at, "Column", strconv.Quote(o.column), "Order", orderName(order),
			"Was", orderName(o.order), "Code", order)
	} else {
		reason = reasonContradicted.M("Column", strconv.Quote(o.column), "By", o.by, "Was", orderName(o.order),
			"At", at, "Order", orderName(order))
	}
	o.sink.Problem(reason.Warning("file"))
}

// flush sends the rows and problems held, in the order now known.
func (o *orderer) flush() error {
	held := o.held
	o.held, o.heldBytes = nil, 0
	for _, h := range held {
		if h.problem != nil {
			o.sink.Problem(*h.problem)
			continue
		}
		if err := o.send(h.row, h.loc, o.order); err != nil {
			return err
		}
	}
	return nil
}
