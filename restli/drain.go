// The one drain-and-close helper of the module: what every layer and the
// client do with a response body they will not return.

package restli

import "io"

// MaxDrainBytes is how much of a response body DrainAndClose reads before
// closing it.
const MaxDrainBytes = 4 << 10

// DrainAndClose reads up to MaxDrainBytes of what is left of body, so that
// the connection can carry the next request, and closes it. A longer
// remainder is not read: closing the connection is cheaper than reading a
// large unwanted body. A nil body is ignored. Every layer of this module
// uses it for a response it discards (a 401 before a replay, an answer
// before a retry, an error answer the client has read).
func DrainAndClose(body io.ReadCloser) {
	if body == nil {
		return
	}
	buf := bodyChunkPool.Get().(*[bodyChunkSize]byte)
	idle := 0
	for left := MaxDrainBytes; left > 0 && idle < maxIdleReads; {
		k, err := body.Read(buf[:min(len(buf), left)])
		if err != nil {
			break
		}
		left -= k
		if k == 0 {
			idle++
		}
	}
	bodyChunkPool.Put(buf)
	_ = body.Close()
}
