// Command generate writes the embedded demo case: an SMS Backup & Restore XML export of a
// fictional victim's phone holding two weeks of ordinary traffic and one evening raid, modelled
// on the raid that shut down a French anti-harassment number (thousands of near-identical
// insulting SMS from about a thousand numbers within three hours, a few threats among them).
//
// It is deterministic: the same seed always writes the same bytes. Run it through
// `go generate ./assets/` after changing it; a test checks the embedded file is up to date.
// Every number, name and text is invented; numbers use the French ranges reserved for fiction
// where possible (+33 6 39 98 …) and otherwise random mobile blocks.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"html"
	"io"
	"log"
	"math"
	"math/rand/v2"
	"os"
	"sort"
	"strings"
	"time"
	_ "time/tzdata" // the same bytes on machines without a zone database
)

// Seed fixes the demo's content.
const Seed = 20260314

func main() {
	out := flag.String("out", "raid-demo.xml", "file to write")
	flag.Parse()
	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	w := bufio.NewWriter(f)
	if err := Write(w, Seed); err != nil {
		log.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}

type sms struct {
	at      time.Time
	address string
	name    string
	typ     int // 1 received, 2 sent
	body    string
}

var paris = mustZone("Europe/Paris")

func mustZone(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		return time.FixedZone("CET", 3600)
	}
	return l
}

// The raid evening, local time, and the two weeks of ordinary life around it.
var (
	raidStart  = time.Date(2026, 3, 14, 20, 5, 0, 0, paris)
	quietStart = time.Date(2026, 3, 3, 7, 0, 0, 0, paris)
	quietDays  = 14
)

var insults = []string{
	"Ferme ta gueule sale pute, personne veut de ta ligne de merde",
	"T'es qu'une grosse connasse, retourne pleurer ailleurs",
	"Ta ligne anti harcèlement c'est une blague, on va la faire fermer",
}

var threats = []string{
	"On sait où tu habites, fais gaffe en rentrant ce soir",
	"Je vais te retrouver et tu vas crever",
}

var contacts = []struct{ name, number string }{
	{"Maman", "06 39 98 00 01"}, {"Julien", "06 39 98 00 02"}, {"Sophie (travail)", "06 39 98 00 03"},
	{"Karim", "06 39 98 00 04"}, {"Dr Lefèvre", "01 99 00 12 34"}, {"Léa", "06 39 98 00 05"},
	{"Pharmacie", "01 99 00 45 67"}, {"Nadia", "07 39 98 00 06"}, {"Thomas", "06 39 98 00 07"},
	{"Association", "01 99 00 88 10"},
}

// everyday holds each contact's own habits (same order as contacts): people repeat themselves,
// but two contacts rarely send the same sentence, so ordinary traffic forms no cluster.
var everyday = [][]string{
	{"Tu rentres à quelle heure ce soir ?", "N'oublie pas de rappeler ta tante", "Bisous ma chérie, à dimanche"},
	{"On se retrouve au café à midi ?", "T'as vu le match hier ?", "Je passe te prendre vers 19h"},
	{"Le dossier Martin est sur ton bureau", "Réunion d'équipe décalée à 10h30", "Tu peux relire ma note avant ce soir ?"},
	{"J'ai oublié mes clés, tu es là ?", "Tu veux que je ramène du pain ?", "Le colis est arrivé chez moi"},
	{"Le rendez-vous est confirmé pour jeudi 14h", "Pensez à apporter votre carte Vitale", "Vos résultats d'analyse sont disponibles"},
	{"Je suis en retard de 10 minutes, désolée", "Ciné samedi ? Il y a le nouveau Audiard", "Merci pour hier soir, c'était top"},
	{"Votre ordonnance est prête", "Votre commande de vaccins est arrivée", "La pharmacie sera fermée lundi matin"},
	{"Ça va mieux aujourd'hui ?", "Je pense fort à toi, courage", "On se fait une balade dimanche matin ?"},
	{"Tu peux m'appeler quand tu as un moment ?", "J'ai trouvé un appart près de la gare", "Tu me prêtes ta perceuse ce week-end ?"},
	{"La réunion de l'association est déplacée à 18h30", "Merci d'avoir tenu la permanence mardi", "Le compte rendu de l'AG est en ligne"},
}

var replies = []string{"Oui d'accord", "Merci !", "Je t'appelle dans 5 min", "Ok parfait", "Bonne soirée"}

// Write writes the demo export.
func Write(w io.Writer, seed uint64) error {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	var msgs []sms

	// Two weeks of ordinary traffic: about 30 messages a day, waking hours, half answered.
	for d := 0; d < quietDays; d++ {
		day := quietStart.AddDate(0, 0, d)
		n := 22 + rng.IntN(14)
		for i := 0; i < n; i++ {
			k := rng.IntN(len(contacts))
			c := contacts[k]
			at := day.Add(time.Duration(rng.IntN(15*3600)) * time.Second).Add(time.Duration(rng.IntN(1000)) * time.Millisecond)
			msgs = append(msgs, sms{at, c.number, c.name, 1, everyday[k][rng.IntN(len(everyday[k]))]})
			if rng.IntN(2) == 0 {
				msgs = append(msgs, sms{at.Add(time.Duration(30+rng.IntN(600)) * time.Second), c.number, c.name, 2,
					replies[rng.IntN(len(replies))]})
			}
		}
	}

	// About 1,000 raid senders: most one-shot, some two or three times; a block of sequential
	// virtual numbers (as when one person rents a range) among random mobiles.
	senders := make([]string, 0, 1000)
	seen := map[string]bool{}
	for i := 0; i < 120; i++ {
		senders = append(senders, fmt.Sprintf("+3375%07d", 4400100+i)) // sequential block
	}
	for len(senders) < 1000 {
		p := []string{"6", "7"}[rng.IntN(2)]
		n := fmt.Sprintf("0%s %02d %02d %02d %02d", p, rng.IntN(100), rng.IntN(100), rng.IntN(100), rng.IntN(100))
		if !seen[n] {
			seen[n] = true
			senders = append(senders, n)
		}
	}
	// 1,500 raid messages over three hours: a fast ramp after the forum post, a peak around
	// 20:40, a long tail.
	const raidN = 1500
	for i := 0; i < raidN; i++ {
		var s string
		if i < len(senders) {
			s = senders[i]
		} else {
			s = senders[rng.IntN(len(senders))]
		}
		minutes := math.Min(179.5, rng.ExpFloat64()*28+rng.Float64()*12) // peak then decay
		at := raidStart.Add(time.Duration(minutes * float64(time.Minute))).Add(time.Duration(rng.IntN(60000)) * time.Millisecond)
		var text string
		if rng.IntN(100) < 2 {
			text = vary(rng, threats[rng.IntN(len(threats))])
		} else {
			// the first template dominates, as the forum post pushed it
			k := 0
			switch r := rng.IntN(100); {
			case r >= 90:
				k = 2
			case r >= 65:
				k = 1
			}
			text = vary(rng, insults[k])
		}
		msgs = append(msgs, sms{at, s, "(Unknown)", 1, text})
	}
	sort.SliceStable(msgs, func(a, b int) bool { return msgs[a].at.Before(msgs[b].at) })

	fmt.Fprintf(w, "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n")
	fmt.Fprintf(w, "<!--File Created By SMS Backup & Restore v10.20.002 on 16/03/2026 09:12:44 (Raidtrace demo: fictional data)-->\n")
	fmt.Fprintf(w, "<smses count=\"%d\" backup_set=\"3f2c1e5a-2b7d-4c55-9e0a-5d1c7a0b9e11\" backup_date=\"%d\" type=\"full\">\n",
		len(msgs), time.Date(2026, 3, 16, 9, 12, 44, 0, paris).UnixMilli())
	for _, m := range msgs {
		sent := "0"
		if m.typ == 1 {
			sent = fmt.Sprint(m.at.Add(-time.Duration(1+rng.IntN(4)) * time.Second).UnixMilli())
		}
		fmt.Fprintf(w, "  <sms protocol=\"0\" address=\"%s\" date=\"%d\" type=\"%d\" subject=\"null\" body=\"%s\" toa=\"null\" sc_toa=\"null\" service_center=\"null\" read=\"1\" status=\"-1\" locked=\"0\" date_sent=\"%s\" sub_id=\"1\" readable_date=\"%s\" contact_name=\"%s\" />\n",
			attr(m.address), m.at.UnixMilli(), m.typ, attr(m.body), sent, m.at.Format("02/01/2006 15:04:05"), attr(m.name))
	}
	_, err := fmt.Fprintf(w, "</smses>\n")
	return err
}

func attr(s string) string {
	return strings.ReplaceAll(html.EscapeString(s), "\n", "&#10;")
}

var leet = []struct {
	letter rune
	digit  string
}{{'a', "4"}, {'e', "3"}, {'i', "1"}, {'o', "0"}, {'s', "5"}}
var emojis = []string{" 🤮", " 😂", " 🖕", " 💀", " 🤡"}

// vary applies the edits raiders use to dodge filters: case, elongation, leetspeak in a word,
// a dropped accent, a typo, an emoji, a mention of the service.
func vary(rng *rand.Rand, s string) string {
	r := []rune(s)
	if rng.IntN(4) == 0 { // elongate one vowel
		for tries := 0; tries < 10; tries++ {
			i := rng.IntN(len(r))
			if strings.ContainsRune("aeiou", r[i]) {
				r = append(r[:i], append([]rune(strings.Repeat(string(r[i]), 2+rng.IntN(4))), r[i:]...)...)
				break
			}
		}
	}
	out := string(r)
	if rng.IntN(5) == 0 { // leetspeak one letter
		for _, l := range leet {
			if i := strings.IndexRune(out, l.letter); i > 0 && rng.IntN(2) == 0 {
				out = out[:i] + l.digit + out[i+1:]
				break
			}
		}
	}
	if rng.IntN(4) == 0 {
		out = strings.NewReplacer("é", "e", "è", "e", "à", "a", "ù", "u").Replace(out)
	}
	if rng.IntN(6) == 0 {
		out = strings.ToUpper(out)
	}
	if rng.IntN(5) == 0 && len(out) > 10 { // swap two letters
		b := []rune(out)
		i := 3 + rng.IntN(len(b)-5)
		b[i], b[i+1] = b[i+1], b[i]
		out = string(b)
	}
	if rng.IntN(3) == 0 {
		out += emojis[rng.IntN(len(emojis))]
	}
	if rng.IntN(10) == 0 {
		out += " !!!"
	}
	return out
}
