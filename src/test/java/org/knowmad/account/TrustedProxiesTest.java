package org.knowmad.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.net.SocketAddress;
import org.junit.jupiter.api.Test;
import org.knowmad.web.TrustedProxies;

/** Whose X-Forwarded-For is believed, and which hop is the client. */
class TrustedProxiesTest {

    private static SocketAddress peer(String ip) {
        return SocketAddress.inetSocketAddress(40_000, ip);
    }

    @Test
    void byDefaultTheSocketIsTheClientWhateverTheHeaderSays() {
        TrustedProxies none = TrustedProxies.parse(null);
        assertTrue(none.isEmpty());
        assertEquals("127.0.0.1", none.clientIp(peer("127.0.0.1"), "203.0.113.9"));
        assertEquals("10.0.0.2", none.clientIp(peer("10.0.0.2"), "203.0.113.9"), "a private peer is not trusted by itself");
        assertEquals("192.168.1.4", TrustedProxies.parse("  ").clientIp(peer("192.168.1.4"), "203.0.113.9"));
    }

    @Test
    void aTrustedProxysLastHopIsTheClient() {
        TrustedProxies lb = TrustedProxies.parse("10.0.0.0/8, 127.0.0.1");
        assertEquals("203.0.113.9", lb.clientIp(peer("10.1.2.3"), "203.0.113.9"));
        assertEquals("203.0.113.9", lb.clientIp(peer("127.0.0.1"), "6.6.6.6, 203.0.113.9"), "what the client wrote itself is ignored");
        assertEquals("203.0.113.9", lb.clientIp(peer("10.1.2.3"), "6.6.6.6, 203.0.113.9, 10.9.9.9"), "trusted hops are skipped");
        assertEquals("10.0.0.7", lb.clientIp(peer("10.1.2.3"), "10.0.0.7"), "all trusted: the farthest known hop");
        assertEquals("10.1.2.3", lb.clientIp(peer("10.1.2.3"), "not-an-ip"), "garbage stops the walk at the last good hop");
        assertEquals("10.0.0.7", lb.clientIp(peer("10.1.2.3"), "evil.example, 10.0.0.7"));
        assertEquals("203.0.113.9", lb.clientIp(peer("10.1.2.3"), "203.0.113.9:5123"), "a port some proxies add");
        assertEquals("2001:db8:0:0:0:0:0:1", lb.clientIp(peer("10.1.2.3"), "[2001:db8::1]:443"));
        assertEquals("172.16.0.1", lb.clientIp(peer("172.16.0.1"), "203.0.113.9"), "an untrusted peer's header is ignored");
        assertEquals("10.1.2.3", lb.clientIp(peer("10.1.2.3"), null));
    }

    @Test
    void ipv6RangesAndSingleAddresses() {
        TrustedProxies p = TrustedProxies.parse("::1,fd00::/8");
        assertEquals("203.0.113.9", p.clientIp(peer("0:0:0:0:0:0:0:1"), "203.0.113.9"));
        assertEquals("203.0.113.9", p.clientIp(peer("fd12:3456::1"), "203.0.113.9"));
        assertEquals("fe80:0:0:0:0:0:0:1", p.clientIp(peer("fe80::1"), "203.0.113.9"));
        assertEquals("127.0.0.1", p.clientIp(peer("127.0.0.1"), "203.0.113.9"), "::1 does not trust 127.0.0.1");
    }

    @Test
    void aBadSettingIsRefusedAtStartWithItsEntry() {
        for (String bad : new String[] {"localhost", "10.0.0.0/33", "10.0.0.1/x", "300.1.1.1", "::1/129", "10.0.0.0/8, nginx"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("TRUSTED_PROXIES"), e.getMessage());
        }
        assertEquals("10.0.0.0/8, ::1", TrustedProxies.parse(" 10.0.0.0/8, ::1 ").toString());
    }
}
