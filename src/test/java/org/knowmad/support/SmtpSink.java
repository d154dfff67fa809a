package org.knowmad.support;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny SMTP server that accepts every message and keeps it, so tests can count what was really sent. It can also
 * play a hung server: {@link #hang()} (accepts connections, never says a word) or {@link #hangAfter} (accepts a
 * few more messages, then falls silent, the message it was given last unanswered).
 */
public final class SmtpSink implements AutoCloseable {

    /** Messages the sink answered "250 queued" to: what the sender may count as delivered. */
    public final List<String> messages = new CopyOnWriteArrayList<>();
    /** Messages received in full but never answered (the sink hung just then): the sender cannot know they arrived. */
    public final List<String> unanswered = new CopyOnWriteArrayList<>();
    public final AtomicInteger connections = new AtomicInteger();
    private final NetServer server;
    private final AtomicInteger acceptBudget = new AtomicInteger(Integer.MAX_VALUE);
    private volatile boolean silent;

    public SmtpSink(Vertx vertx) {
        server = vertx.createNetServer().connectHandler(this::session);
        Await.await(server.listen(0, "127.0.0.1"));
    }

    public int port() {
        return server.actualPort();
    }

    /** From now on, new connections are accepted and never answered (connections already open hang too). */
    public SmtpSink hang() {
        silent = true;
        return this;
    }

    /** Accepts {@code n} more messages, then hangs as {@link #hang()}. */
    public SmtpSink hangAfter(int n) {
        acceptBudget.set(n);
        return this;
    }

    /** Answers again on new connections (those that hung stay hung until the client gives up on them). */
    public SmtpSink recover() {
        acceptBudget.set(Integer.MAX_VALUE);
        silent = false;
        return this;
    }

    private void session(NetSocket socket) {
        connections.incrementAndGet();
        if (silent) {
            socket.handler(b -> { }); // read and ignore: a server that took the connection and then froze
            return;
        }
        StringBuilder data = new StringBuilder();
        boolean[] inData = {false};
        boolean[] dead = {false};
        RecordParser parser = RecordParser.newDelimited("\r\n", line -> {
            if (dead[0] || silent) {
                dead[0] = true;
                return;
            }
            String s = line.toString();
            if (inData[0]) {
                if (s.equals(".")) {
                    inData[0] = false;
                    if (acceptBudget.getAndDecrement() <= 0) {
                        unanswered.add(data.toString());
                        silent = true;
                        dead[0] = true;
                        return;
                    }
                    messages.add(data.toString());
                    data.setLength(0);
                    socket.write("250 2.0.0 queued\r\n");
                } else {
                    data.append(s).append('\n');
                }
                return;
            }
            String verb = s.length() >= 4 ? s.substring(0, 4).toUpperCase() : s.toUpperCase();
            switch (verb) {
                case "EHLO", "HELO" -> socket.write("250 sink\r\n");
                case "DATA" -> {
                    inData[0] = true;
                    socket.write("354 go ahead\r\n");
                }
                case "QUIT" -> socket.write("221 bye\r\n").onComplete(v -> socket.close());
                default -> socket.write("250 OK\r\n");
            }
        });
        socket.handler(parser);
        socket.write("220 sink ESMTP\r\n");
    }

    @Override
    public void close() {
        Await.await(server.close());
    }
}
