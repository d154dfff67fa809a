package org.knowmad.support;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A tiny SMTP server that accepts every message and keeps it, so tests can count what was really sent. */
public final class SmtpSink implements AutoCloseable {

    public final List<String> messages = new CopyOnWriteArrayList<>();
    private final NetServer server;

    public SmtpSink(Vertx vertx) {
        server = vertx.createNetServer().connectHandler(this::session);
        Await.await(server.listen(0, "127.0.0.1"));
    }

    public int port() {
        return server.actualPort();
    }

    private void session(NetSocket socket) {
        StringBuilder data = new StringBuilder();
        boolean[] inData = {false};
        RecordParser parser = RecordParser.newDelimited("\r\n", line -> {
            String s = line.toString();
            if (inData[0]) {
                if (s.equals(".")) {
                    inData[0] = false;
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
