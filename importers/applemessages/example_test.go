package applemessages_test

import (
	"fmt"

	"raidtrace/importers/applemessages"
)

func ExampleAttributedBodyText() {
	// A message.attributedBody as Messages writes it, cut after the string.
	blob := []byte("\x04\x0bstreamtyped\x81\xe8\x03\x84\x01@\x84\x84\x84\x12NSAttributedString\x00" +
		"\x84\x84\x08NSObject\x00\x85\x92\x84\x84\x84\x08NSString\x01\x94\x84\x01+\x0bon arrive !\x86\x84")
	text, err := applemessages.AttributedBodyText(blob)
	fmt.Printf("%q %v\n", text, err)
	// Output: "on arrive !" <nil>
}

func ExampleAppleTime() {
	fmt.Println(applemessages.AppleTime(731711645))             // seconds: older databases
	fmt.Println(applemessages.AppleTime(731711645_000_000_000)) // nanoseconds: since iOS 11
	// Output:
	// 2024-03-09 21:14:05 +0000 UTC
	// 2024-03-09 21:14:05 +0000 UTC
}
