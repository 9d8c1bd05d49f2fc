package analysis

// SetSpeculateFrom sets the smallest component whose first pass runs speculatively and returns
// a function that restores the previous value (tests only).
func SetSpeculateFrom(n int) (restore func()) {
	old := speculateFrom
	speculateFrom = n
	return func() { speculateFrom = old }
}
