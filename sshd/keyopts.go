package sshd

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"time"
)

// keyOptions are the restrictions an authorized_keys line puts on its key, as OpenSSH means
// them. The zero value restricts nothing.
type keyOptions struct {
	from    []string  // from=: address patterns the key may connect from; nil: anywhere
	noPty   bool      // no-pty or restrict (without pty): no console, the glance only
	command []string  // command=: the only command the key runs, whatever the client asks; nil: any
	expires time.Time // expiry-time=: refused from this instant on; zero: never
}

// Options Beacon honours without doing anything: it never forwards ports, agents or X11
// connections and runs no rc files, so these restrictions always hold.
var alwaysHeld = map[string]bool{
	"no-port-forwarding":  true,
	"no-agent-forwarding": true,
	"no-x11-forwarding":   true,
	"no-user-rc":          true,
}

// parseKeyOptions reads the options of one authorized_keys line, in order (so `restrict,pty`
// allows a terminal). Any option Beacon does not implement is an error: a line is never let in
// with less restriction than its author wrote.
func parseKeyOptions(opts []string, check CommandCheck) (keyOptions, error) {
	var o keyOptions
	for _, opt := range opts {
		name, value, hasValue := strings.Cut(opt, "=")
		name = strings.ToLower(name)
		valued := name == "from" || name == "command" || name == "expiry-time"
		if valued && !hasValue {
			return o, fmt.Errorf("option %s needs a value: %s=\"…\"", name, name)
		}
		var err error
		if valued {
			if value, err = dequote(value); err != nil {
				return o, fmt.Errorf("%s: %w", name, err)
			}
		}
		switch {
		case !valued && hasValue && (alwaysHeld[name] || name == "restrict" || name == "no-pty" || name == "pty"):
			return o, fmt.Errorf("option %s takes no value", name)
		case alwaysHeld[name]:
		case name == "restrict" || name == "no-pty":
			o.noPty = true
		case name == "pty":
			o.noPty = false
		case name == "from":
			if o.from, err = parseFrom(value); err != nil {
				return o, fmt.Errorf("from=%q: %w", value, err)
			}
		case name == "command":
			if o.command, err = parseForcedCommand(value, check); err != nil {
				return o, err
			}
		case name == "expiry-time":
			if o.expires, err = parseExpiry(value); err != nil {
				return o, err
			}
		default:
			return o, fmt.Errorf("option %q is not supported by Beacon (it supports from=, command=, expiry-time=, no-pty, restrict, pty and the no-*-forwarding options)", name)
		}
	}
	return o, nil
}

// dequote reads an option's double-quoted value, where \" stands for a quote.
func dequote(v string) (string, error) {
	if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
		return "", errors.New(`the value must be in double quotes`)
	}
	return strings.ReplaceAll(v[1:len(v)-1], `\"`, `"`), nil
}

// CommandCheck says whether a command line is one a session may run (nil when it is): a
// command= other than the glance must pass it. beacon serve checks its own command tree.
type CommandCheck func(args []string) error

// parseForcedCommand checks a command= value: the glance (`status`, `status --all`), or, when
// check is given, a Beacon command it accepts. The words are split at spaces; quotes are not
// read, so a value with them is refused rather than guessed at.
func parseForcedCommand(v string, check CommandCheck) ([]string, error) {
	cmd := strings.Fields(v)
	switch {
	case len(cmd) == 0:
		return nil, errors.New("command=\"\": an empty command")
	case strings.ContainsAny(v, `"'\`):
		return nil, fmt.Errorf("command=%q: quotes are not supported; Beacon splits the words at spaces", v)
	case isGlance(cmd):
		return cmd, nil
	case check == nil:
		return nil, fmt.Errorf("command=%q: the only command Beacon runs here is \"status\" (or \"status --all\")", v)
	}
	if err := check(cmd); err != nil {
		return nil, fmt.Errorf("command=%q: %v", v, err)
	}
	return cmd, nil
}

// parseExpiry reads an expiry-time= value as OpenSSH does: YYYYMMDD, YYYYMMDDHHMM or
// YYYYMMDDHHMMSS, in local time, or in UTC with a Z suffix.
func parseExpiry(v string) (time.Time, error) {
	loc, s := time.Local, v
	if rest, ok := strings.CutSuffix(v, "Z"); ok {
		loc, s = time.UTC, rest
	}
	layout := map[int]string{8: "20060102", 12: "200601021504", 14: "20060102150405"}[len(s)]
	t, err := time.ParseInLocation(layout, s, loc)
	if layout == "" || err != nil {
		return time.Time{}, fmt.Errorf("expiry-time=%q: want YYYYMMDD[HHMM[SS]], with Z for UTC", v)
	}
	return t, nil
}

// parseFrom splits a from= value into its comma-separated patterns and checks each: a CIDR
// block must have no bits set beyond its mask, and no pattern may be empty.
func parseFrom(v string) ([]string, error) {
	pats := strings.Split(v, ",")
	for _, p := range pats {
		body := strings.TrimPrefix(p, "!")
		if body == "" {
			return nil, errors.New("an empty pattern")
		}
		if _, err := parseCIDR(body); errors.Is(err, errMaskedBits) {
			return nil, fmt.Errorf("%s: %w", body, err)
		}
	}
	return pats, nil
}

var errMaskedBits = errors.New("the address has bits set beyond its mask length")

// parseCIDR reads an address or an address/length block; a plain address is a block of one.
func parseCIDR(s string) (netip.Prefix, error) {
	if !strings.Contains(s, "/") {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return netip.Prefix{}, err
		}
		return netip.PrefixFrom(a, a.BitLen()), nil
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	if p.Masked() != p {
		return netip.Prefix{}, errMaskedBits
	}
	return p, nil
}

// fromAllows reports whether a connection from addr may use a key with these from= patterns,
// as OpenSSH (with UseDNS off, its default) decides: a matching negated pattern refuses it, else
// a matching pattern allows it, else it is refused. A pattern is a CIDR block or an address, or
// else a wildcard pattern (* and ?) matched against the address written out; host names are
// never looked up.
func fromAllows(patterns []string, addr net.Addr) bool {
	if patterns == nil {
		return true
	}
	ip, ok := remoteIP(addr)
	if !ok {
		return false
	}
	text := strings.ToLower(ip.String())
	allowed := false
	for _, p := range patterns {
		body, neg := strings.CutPrefix(p, "!")
		var match bool
		if block, err := parseCIDR(body); err == nil {
			match = block.Contains(ip)
		} else {
			match = wildcard(strings.ToLower(body), text)
		}
		if match && neg {
			return false
		}
		allowed = allowed || match
	}
	return allowed
}

// remoteIP is the IP address of a connection's remote end, IPv4 ones in their 4-byte form.
func remoteIP(addr net.Addr) (netip.Addr, bool) {
	if tcp, ok := addr.(*net.TCPAddr); ok {
		ip, ok := netip.AddrFromSlice(tcp.IP)
		return ip.Unmap(), ok
	}
	if addr == nil {
		return netip.Addr{}, false
	}
	ap, err := netip.ParseAddrPort(addr.String())
	return ap.Addr().Unmap(), err == nil
}

// wildcard matches s against an OpenSSH pattern, where * is any run of characters and ? any
// one character; in time proportional to len(pattern)·len(s) at worst.
func wildcard(pattern, s string) bool {
	p, i := 0, 0
	star, mark := -1, 0
	for i < len(s) {
		switch {
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == s[i]):
			p++
			i++
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, i
			p++
		case star >= 0:
			p = star + 1
			mark++
			i = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}
