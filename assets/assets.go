// Package assets embeds the files the application ships inside its binary: the icon, the GUI
// translations, the report texts, the triage lexicons and the demo raid.
//
// It holds data only: no logic beyond locating embedded files, no I/O outside the embedded FS.
package assets

import (
	"embed"
	"io/fs"
)

//go:generate go run ./demo/generate -out demo/raid-demo.xml

//go:embed icon.png translations report lexicons demo
var files embed.FS

// FS returns the embedded files, rooted at this folder ("translations/en.json", "demo/…").
func FS() fs.FS { return files }

// Icon is the application icon (PNG).
func Icon() []byte {
	b, err := files.ReadFile("icon.png")
	if err != nil {
		panic(err) // embedded at build time: missing means a broken build
	}
	return b
}

// Sub returns the embedded folder dir ("translations", "report", "lexicons", "demo").
func Sub(dir string) fs.FS {
	s, err := fs.Sub(files, dir)
	if err != nil {
		panic(err)
	}
	return s
}
