package main

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"time"
)

// requestState is what the server remembers between the rounds of a
// multi-round-trip (MRTR) tools/call. The server is stateless, so it hands
// this to the client as the opaque requestState of an InputRequiredResult,
// sealed with an HMAC so that the client cannot forge or alter it, and reads
// it back from the retried call.
type requestState struct {
	Tool string `json:"tool"`
	// Args is a digest of the call's arguments: a state only resumes the
	// call it was issued for.
	Args string `json:"args"`
	// Asked lists the inputRequests keys of the round that issued it; only
	// responses to them are taken.
	Asked []string `json:"asked"`
	// Answers holds what earlier rounds gathered.
	Answers map[string]stateAnswer `json:"answers,omitempty"`
	Expires int64                  `json:"exp"`
}

type stateAnswer struct {
	Action  string         `json:"action"`
	Content map[string]any `json:"content,omitempty"`
}

// stateSealer seals and opens requestState values.
type stateSealer struct {
	key [32]byte
	ttl time.Duration
	now func() time.Time
}

// stateKey, when set, is the key every stateSealer seals with, so that
// replicas of the server that share it open each other's states; nil (the
// demo's own build) makes a random key per process. The replica build of
// redistore's tests sets it from a flag.
var stateKey *[32]byte

func newStateSealer(now func() time.Time) *stateSealer {
	s := &stateSealer{ttl: 10 * time.Minute, now: now}
	if stateKey != nil {
		s.key = *stateKey
	} else {
		rand.Read(s.key[:]) // never fails (crypto/rand documents it)
	}
	return s
}

func argsDigest(args map[string]any) string {
	data, _ := json.Marshal(args) // map keys are sorted: the digest is stable
	sum := sha256.Sum256(data)
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

func (s *stateSealer) seal(tool string, args map[string]any, asked []string, answers map[string]answer) string {
	st := requestState{
		Tool:    tool,
		Args:    argsDigest(args),
		Asked:   asked,
		Expires: s.now().Add(s.ttl).Unix(),
	}
	if len(answers) > 0 {
		st.Answers = make(map[string]stateAnswer, len(answers))
		for k, a := range answers {
			st.Answers[k] = stateAnswer{Action: a.action, Content: a.content}
		}
	}
	payload, _ := json.Marshal(st)
	body := base64.RawURLEncoding.EncodeToString(payload)
	return body + "." + base64.RawURLEncoding.EncodeToString(s.mac(body))
}

func (s *stateSealer) mac(body string) []byte {
	m := hmac.New(sha256.New, s.key[:])
	m.Write([]byte(body))
	return m.Sum(nil)
}

var errBadState = errors.New("requestState is not one this server issued for this call, or it has expired")

// open verifies a requestState and checks that it belongs to this call.
func (s *stateSealer) open(state, tool string, args map[string]any) (*requestState, error) {
	body, sig, ok := strings.Cut(state, ".")
	if !ok {
		return nil, errBadState
	}
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(got, s.mac(body)) {
		return nil, errBadState
	}
	payload, err := base64.RawURLEncoding.DecodeString(body)
	if err != nil {
		return nil, errBadState
	}
	var st requestState
	if err := json.Unmarshal(payload, &st); err != nil {
		return nil, errBadState
	}
	if st.Tool != tool || st.Args != argsDigest(args) || s.now().Unix() > st.Expires {
		return nil, errBadState
	}
	return &st, nil
}
