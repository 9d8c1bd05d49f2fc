package importers

// Phones memoises [E164] for the length of one import. Raid logs repeat the same numbers (the
// victim's own on every record, a sender's on each of their messages); a number of a shape E164's
// fast path does not take costs about ten microseconds in phonenumbers. A Phones is not safe for
// concurrent use; make one per parse. It forgets everything when it holds too many numbers, so
// memory stays flat on files with millions of distinct senders.
type Phones struct {
	region string
	m      map[string]string
}

// phonesMax bounds the memo; past it the memo starts afresh.
const phonesMax = 1 << 16

// NewPhones returns an empty memo for numbers read in the default region (as in [E164]).
func NewPhones(region string) *Phones {
	return &Phones{region: region, m: make(map[string]string)}
}

// E164 is [E164](raw, region), remembered.
func (p *Phones) E164(raw string) string {
	if e, ok := p.m[raw]; ok {
		return e
	}
	e := E164(raw, p.region)
	if len(p.m) >= phonesMax {
		clear(p.m)
	}
	p.m[raw] = e
	return e
}

// Party is [PhoneParty](raw, name, region), with the number remembered.
func (p *Phones) Party(raw, name string) Party {
	return Party{Raw: raw, E164: p.E164(raw), Name: name}
}
