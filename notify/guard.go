package notify

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"syscall"
)

// metadata lists cloud metadata services that sit outside the private and link-local ranges
// (or inside them, named here so the refusal says what they are).
var metadata = map[netip.Addr]string{
	netip.MustParseAddr("169.254.169.254"): "a cloud metadata service",
	netip.MustParseAddr("169.254.170.2"):   "a cloud metadata service",
	netip.MustParseAddr("100.100.100.200"): "a cloud metadata service",
	netip.MustParseAddr("192.0.0.192"):     "a cloud metadata service",
	netip.MustParseAddr("fd00:ec2::254"):   "a cloud metadata service",
}

// sharedSpace is carrier-grade NAT space (RFC 6598): not the public internet either.
var sharedSpace = netip.MustParsePrefix("100.64.0.0/10")

// Blocked says why ip may not receive webhooks without --allow-private, or "" when it may:
// loopback, private, link-local, unspecified, multicast, shared (CGNAT) and cloud metadata
// addresses are refused.
func Blocked(ip netip.Addr) string {
	ip = ip.Unmap()
	if what, ok := metadata[ip]; ok {
		return what
	}
	switch {
	case !ip.IsValid():
		return "not an address"
	case ip.IsLoopback():
		return "a loopback address"
	case ip.IsPrivate():
		return "a private address"
	case ip.IsLinkLocalUnicast(), ip.IsLinkLocalMulticast():
		return "a link-local address"
	case ip.IsUnspecified():
		return "the unspecified address"
	case ip.IsMulticast():
		return "a multicast address"
	case sharedSpace.Contains(ip):
		return "a shared (carrier-grade NAT) address"
	}
	return ""
}

// PrivateAddressError is an endpoint address refused because it is not on the public internet.
type PrivateAddressError struct {
	Host   string
	Addr   netip.Addr
	Reason string
}

func (e *PrivateAddressError) Error() string {
	if e.Host == e.Addr.String() {
		return fmt.Sprintf("%s is %s; webhooks go to public addresses unless the endpoint is added with --allow-private", e.Host, e.Reason)
	}
	return fmt.Sprintf("%s resolves to %s, %s; webhooks go to public addresses unless the endpoint is added with --allow-private", e.Host, e.Addr, e.Reason)
}

// CheckHost resolves host and refuses it when any of its addresses is blocked.
func CheckHost(ctx context.Context, r *net.Resolver, host string) error {
	if ip, err := netip.ParseAddr(host); err == nil {
		if why := Blocked(ip); why != "" {
			return &PrivateAddressError{Host: host, Addr: ip, Reason: why}
		}
		return nil
	}
	if r == nil {
		r = net.DefaultResolver
	}
	addrs, err := r.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return fmt.Errorf("cannot resolve %s: %w", host, err)
	}
	for _, ip := range addrs {
		if why := Blocked(ip); why != "" {
			return &PrivateAddressError{Host: host, Addr: ip.Unmap(), Reason: why}
		}
	}
	return nil
}

// guardControl is a net.Dialer Control hook that refuses to connect to a blocked address:
// checked on the address actually dialled, after resolution, so a name that resolved to a
// public address at add time and to a private one now (DNS rebinding) is still refused.
func guardControl(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("refusing to connect to %s: %v", address, err)
	}
	if why := Blocked(ap.Addr()); why != "" {
		return &PrivateAddressError{Host: ap.Addr().Unmap().String(), Addr: ap.Addr().Unmap(), Reason: why}
	}
	return nil
}
