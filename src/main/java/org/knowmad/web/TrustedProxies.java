package org.knowmad.web;

import io.vertx.core.net.SocketAddress;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The proxies whose {@code X-Forwarded-For} we believe ({@code TRUSTED_PROXIES}: IPs and CIDRs). Anyone can
 * send that header, so it counts only when the socket's peer is one of these; by default nobody is, and the
 * socket's own address is the client. Rate limits per client IP rest on this.
 */
public final class TrustedProxies {

    public static final TrustedProxies NONE = new TrustedProxies(List.of(), "");

    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+(%[0-9A-Za-z._-]+)?");

    private record Range(byte[] network, int prefix) {
        boolean contains(byte[] address) {
            if (address.length != network.length) return false;
            int bits = address.length * 8;
            BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                    .xor(BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE));
            return new BigInteger(1, address).and(mask).equals(new BigInteger(1, network).and(mask));
        }
    }

    private final List<Range> ranges;
    private final String text;

    private TrustedProxies(List<Range> ranges, String text) {
        this.ranges = ranges;
        this.text = text;
    }

    /** Parses {@code "10.0.0.5, 172.16.0.0/12, ::1"}; blank means none. Throws with a message naming the bad entry. */
    public static TrustedProxies parse(String setting) {
        if (setting == null || setting.isBlank()) return NONE;
        List<Range> ranges = new ArrayList<>();
        for (String raw : setting.split(",")) {
            String entry = raw.trim();
            if (entry.isEmpty()) continue;
            int slash = entry.indexOf('/');
            byte[] address = literal(slash < 0 ? entry : entry.substring(0, slash));
            if (address == null) throw bad(entry);
            int prefix = address.length * 8;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(entry.substring(slash + 1));
                } catch (NumberFormatException e) {
                    throw bad(entry);
                }
                if (prefix < 0 || prefix > address.length * 8) throw bad(entry);
            }
            ranges.add(new Range(address, prefix));
        }
        return new TrustedProxies(List.copyOf(ranges), setting.trim());
    }

    private static IllegalArgumentException bad(String entry) {
        return new IllegalArgumentException("TRUSTED_PROXIES must list IP addresses or CIDR ranges separated by commas, not '" + entry + "'");
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    boolean trusts(byte[] address) {
        if (address == null) return false;
        for (Range r : ranges) if (r.contains(address)) return true;
        return false;
    }

    /**
     * The client's address: the socket's peer, unless that peer is a trusted proxy; then the
     * {@code X-Forwarded-For} hops are read from the right (each proxy appends the address it saw), skipping
     * trusted proxies, and the first untrusted one is the client. Entries further left were written by the
     * client itself and are never believed. An entry that is no IP address stops the walk at the last good hop.
     */
    public String clientIp(SocketAddress peer, String forwardedFor) {
        String remote = peer == null || peer.hostAddress() == null ? "unknown" : peer.hostAddress();
        if (ranges.isEmpty() || forwardedFor == null || forwardedFor.isBlank()) return remote;
        if (!trusts(literal(remote))) return remote;
        String client = remote;
        String[] hops = forwardedFor.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = stripPort(hops[i].trim());
            byte[] address = literal(hop);
            if (address == null) return client;
            client = text(address);
            if (!trusts(address)) return client;
        }
        return client;
    }

    /** "1.2.3.4:5678" and "[::1]:80" as some proxies write them; a bare IPv6 address has no port. */
    private static String stripPort(String hop) {
        if (hop.startsWith("[")) {
            int end = hop.indexOf(']');
            return end > 0 ? hop.substring(1, end) : hop;
        }
        int colon = hop.indexOf(':');
        if (colon > 0 && hop.indexOf(':', colon + 1) < 0) return hop.substring(0, colon);
        return hop;
    }

    /** The bytes of a numeric IP address, or null; never a DNS lookup (these strings come from strangers). */
    static byte[] literal(String text) {
        if (text == null || text.isEmpty() || text.length() > 64) return null;
        boolean v4 = IPV4.matcher(text).matches();
        if (!v4 && !(text.indexOf(':') >= 0 && IPV6.matcher(text).matches())) return null;
        try {
            // With only digits and dots (four octets) or an IPv6 literal, getByName parses and never resolves.
            return InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException | RuntimeException e) {
            return null;
        }
    }

    /** A canonical text for an address, so "::1" and "0:0:0:0:0:0:0:1" count as one client. */
    private static String text(byte[] address) {
        try {
            return InetAddress.getByAddress(address).getHostAddress();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }

    @Override
    public String toString() {
        return text.isEmpty() ? "none" : text;
    }
}
