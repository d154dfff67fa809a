package org.knowmad.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * An HTTP/1.1 request written byte for byte on a plain socket, for inputs a well-behaved client would refuse
 * or re-encode (NUL bytes, invalid UTF-8, chunked bodies, broken headers). Answers the status line's code and
 * the raw response; -1 if the server never answered within the timeout.
 */
public final class RawHttp {

    public record Answer(int status, String text) {
    }

    private RawHttp() {
    }

    /** {@code head}: request line and headers without the final blank line; {@code body} may be null. */
    public static Answer send(int port, String head, byte[] body) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            StringBuilder h = new StringBuilder(head);
            if (!head.contains("\r\nHost:")) h.append("\r\nHost: localhost");
            if (!head.contains("\r\nConnection:")) h.append("\r\nConnection: close");
            if (body != null && !head.contains("Transfer-Encoding") && !head.contains("Content-Length")) {
                h.append("\r\nContent-Length: ").append(body.length);
            }
            h.append("\r\n\r\n");
            out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                try {
                    out.write(body);
                } catch (IOException e) {
                    // The server may answer (413) and close before reading everything: read what it said.
                }
            }
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = in.read(buf)) > 0; ) {
                    got.write(buf, 0, n);
                    if (got.size() > 1_000_000) break;
                }
            } catch (IOException e) {
                // reset after the answer: keep what arrived
            }
            String text = got.toString(StandardCharsets.UTF_8);
            if (!text.startsWith("HTTP/1.")) return new Answer(-1, text);
            return new Answer(Integer.parseInt(text.substring(9, 12)), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Answer get(int port, String rawPath, String... headers) {
        return send(port, "GET " + rawPath + " HTTP/1.1" + (headers.length == 0 ? "" : "\r\n" + String.join("\r\n", headers)), null);
    }

    /** Only the status of the answer, for responses that never end (event streams): the connection is dropped after it. */
    public static int statusOnly(int port, String head) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write((head + "\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c; (c = in.read()) > 0 && c != '\n'; ) line.append((char) c);
            String text = line.toString();
            return text.startsWith("HTTP/1.") ? Integer.parseInt(text.substring(9, 12)) : -1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
