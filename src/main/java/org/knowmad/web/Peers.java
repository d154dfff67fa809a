package org.knowmad.web;

import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Facts about the other end of the connection, taken from the socket and never from a header. */
public final class Peers {

    private Peers() {
    }

    /** The socket's own peer, never a forwarded-for header: a proxy in front makes every client look remote. */
    public static boolean isLoopback(SocketAddress peer) {
        if (peer == null || peer.hostAddress() == null) return false;
        byte[] address = TrustedProxies.literal(peer.hostAddress());
        if (address == null) return false;
        try {
            return InetAddress.getByAddress(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
