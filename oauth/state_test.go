package oauth

import (
	"regexp"
	"testing"
)

func TestNewState_RandomURLSafe(t *testing.T) {
	seen := map[string]bool{}
	urlSafe := regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`)
	for range 100 {
		s, err := NewState()
		if err != nil {
			t.Fatal(err)
		}
		if !urlSafe.MatchString(s) {
			t.Fatalf("state %q is not 43 URL-safe characters", s)
		}
		if seen[s] {
			t.Fatalf("state %q repeated", s)
		}
		seen[s] = true
	}
}

func TestCheckState(t *testing.T) {
	tests := []struct {
		got, want string
		ok        bool
	}{
		{"abc", "abc", true},
		{"abc", "abd", false},
		{"abc", "abcd", false},
		{"", "", false},
		{"", "abc", false},
		{"abc", "", false},
	}
	for _, tt := range tests {
		if got := CheckState(tt.got, tt.want); got != tt.ok {
			t.Errorf("CheckState(%q, %q) = %v, want %v", tt.got, tt.want, got, tt.ok)
		}
	}
}
