package schema

// ParseFast and ParseSlow expose the two ways Load parses a file, for the
// test that they agree.
var (
	ParseFast = parseFast
	ParseSlow = parseSlow
)
