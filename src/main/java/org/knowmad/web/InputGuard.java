package org.knowmad.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Refuses, with a clear 400 before any route runs, what PostgreSQL cannot store or what is not text at all:
 * a NUL character (raw, or percent-encoded in the path, the query or a form; {@code \u0000} in JSON) and bytes
 * that are not UTF-8. It looks at decoded values, so a post that merely contains the three characters
 * {@code %00} (sent as {@code %2500}) is fine.
 */
public final class InputGuard {

    private InputGuard() {
    }

    /**
     * Checks the path and the query; mounted before the body is read, because reading the body merges the
     * query into the parameters, and Netty's query decoder throws on a malformed escape ({@code ?q=%ZZ}) in a
     * place where nothing answers the request any more.
     */
    public static void address(RoutingContext ctx) {
        String uri = ctx.request().uri();
        int q = uri.indexOf('?');
        String problem = check(q < 0 ? uri : uri.substring(0, q), false);
        if (problem == null && q >= 0) problem = check(uri.substring(q + 1), true);
        if (problem != null) {
            ctx.fail(HttpProblem.badRequest(problem));
            return;
        }
        ctx.next();
    }

    /** Checks the body, once it has been read. */
    public static void body(RoutingContext ctx) {
        Buffer body = ctx.body() == null ? null : ctx.body().buffer();
        String problem = body != null && body.length() > 0 ? checkBody(ctx, body) : null;
        if (problem != null) {
            ctx.fail(HttpProblem.badRequest(problem));
            return;
        }
        ctx.next();
    }

    /**
     * Whether a failure is Netty refusing to decode the client's bytes (a form body like {@code a=%%%} or
     * {@code a=%ZZ}): that happens while the body is read, before this guard or any route runs, and it is the
     * client's malformed request, not our fault, so it is answered 400.
     */
    public static boolean undecodable(Throwable failure) {
        if (!(failure instanceof IllegalArgumentException || failure instanceof io.netty.handler.codec.DecoderException)) return false;
        for (StackTraceElement frame : failure.getStackTrace()) {
            if (frame.getClassName().startsWith("io.netty.handler.codec.http.")) return true;
        }
        return false;
    }

    private static String checkBody(RoutingContext ctx, Buffer body) {
        String type = String.valueOf(ctx.request().getHeader("Content-Type")).toLowerCase(java.util.Locale.ROOT);
        if (type.startsWith("application/x-www-form-urlencoded")) return check(body.toString(StandardCharsets.ISO_8859_1), true);
        byte[] bytes = body.getBytes();
        String text = utf8(bytes);
        if (text == null) return "error.badEncoding";
        if (text.indexOf('\0') >= 0) return "error.nul";
        // JSON may spell a NUL as an escape; an escaped backslash before "u0000" is just text.
        if (type.contains("json") && text.replace("\\\\", "").contains("\\u0000")) return "error.nul";
        return null;
    }

    /** A message key if the percent-encoded text holds a NUL or is not UTF-8 once decoded, else null. */
    static String check(String encoded, boolean plusIsSpace) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%') {
                // A '%' must start an escape: "100%" is not URL-encoded text (a browser sends "100%25").
                if (i + 2 >= encoded.length() || hex(encoded.charAt(i + 1)) < 0 || hex(encoded.charAt(i + 2)) < 0) return "error.badRequest";
                out.write(hex(encoded.charAt(i + 1)) * 16 + hex(encoded.charAt(i + 2)));
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                out.write(' ');
            } else if (c < 0x100) {
                out.write(c);
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        byte[] bytes = out.toByteArray();
        for (byte b : bytes) if (b == 0) return "error.nul";
        return utf8(bytes) == null ? "error.badEncoding" : null;
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }
}
