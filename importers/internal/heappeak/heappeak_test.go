package heappeak

import "testing"

// TestStartSeesAllocation: a 64 MiB allocation held while sampling is seen in the peak.
func TestStartSeesAllocation(t *testing.T) {
	stop := Start()
	b := make([]byte, 64<<20)
	for i := range b {
		b[i] = byte(i)
	}
	peak := stop()
	if peak < 64<<20 {
		t.Errorf("peak %d bytes, want at least %d", peak, 64<<20)
	}
	_ = b[len(b)-1]
}
