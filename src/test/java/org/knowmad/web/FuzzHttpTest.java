package org.knowmad.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.knowmad.support.ApiUser;
import org.knowmad.support.Browser;
import org.knowmad.support.Fixtures;
import org.knowmad.support.MutableClock;
import org.knowmad.support.RawHttp;
import org.knowmad.support.TestNode;

/**
 * The security probe kept as a test: a bounded fuzz of every route the router has (taken from the router, so a
 * new route is fuzzed too). Each route is called with real ids from a seeded cohort and with hostile values in
 * its path parameters (or its query when it has none), with every method it answers, signed out and signed in
 * as a participant (session cookie plus a valid CSRF token, so POSTs reach the route), with hostile form and
 * JSON bodies and hostile headers. Not one answer may be 5xx, and every request must get an answer.
 *
 * <p>Bounded on purpose (about eight requests per route, a few seconds on loopback): the hostile values rotate
 * over routes and parameter positions, except NUL and invalid UTF-8, which every route gets.
 */
@ExtendWith(VertxExtension.class)
class FuzzHttpTest {

    private static final Pattern PARAM = Pattern.compile(":([A-Za-z]+)");
    /** Sent in every route: what reached PostgreSQL and failed there. */
    private static final List<String> ALWAYS = List.of("a%00b", "%C3%28");
    /** Rotated over routes and parameter positions (already percent-encoded where needed). */
    private static final List<String> HOSTILE = List.of("%FF%FE", "99999999999999999999999", "-1", "0", "..%2F..%2Fetc%2Fpasswd",
            "../../etc/passwd", "x".repeat(1500), "%E2%80%AE%F0%9F%98%80", "%27%22%3Cscript%3Ealert(1)%3C%2Fscript%3E", "%ED%A0%80",
            "1e309", "%20", "null", "9223372036854775808", "-9223372036854775808", "%2e%2e", "a%2Fb", "%", "%ZZ", "%F0%9F",
            "%EF%BF%BF", "%C0%AF");
    private static final List<String> BODIES = List.of("", "body=%00&title=%00", "body=%FF&title=%C3%28", "body=" + "y".repeat(20_000),
            "scores%5Bclarity%5D=9&comment=%00", "{\"body\":\"\\u0000\"}", "{\"body\": [1, {\"a\": null}]}", "{bad json", "%%%",
            "a=1&a=2&a=3", "mode=&lang=&account=-1&seats=99999999999", "{\"account\": 1e400, \"seats\": -1}", "[]", "null",
            "title=%F0%9F%98%80&body=%E2%80%AE", "account=abc&question=x&item=%00");
    private static final List<String> HEADERS = List.of("Accept-Language: ,", "Accept-Language: -", "Accept-Language: ;q=x,,*;q=",
            "Accept-Language: " + "a-".repeat(2000), "Accept: */*;q=", "Accept: application/json", "Accept: text/event-stream",
            "Cookie: knowmad_session=" + "z".repeat(4000), "Cookie: knowmad_lang=%00", "Cookie: =; ==; knowmad_lang",
            "X-Forwarded-For: not-an-ip", "Idempotency-Key: " + "k".repeat(500), "Authorization: Bearer %00", "Authorization: Bearer ",
            "Authorization: Basic Zm9vOmJhcg==", "If-Modified-Since: yesterday", "Range: bytes=-1", "Content-Encoding: gzip");

    private static TestNode node;
    private static MutableClock clock;
    private static final Map<String, String> REAL = new HashMap<>();
    private static String cookie;
    private static String csrf;

    @BeforeAll
    static void start(Vertx vertx) {
        clock = new MutableClock(Fixtures.SPRING_DAY_2);
        node = TestNode.demo(vertx, clock);
        ApiUser ada = ApiUser.joined(node, clock, "fuzz@example.org", "spring");
        JsonObject thread = ada.call(HttpMethod.POST, "/api/v1/courses/demo/spring/modules/week-1/threads",
                new JsonObject().put("title", "Fuzzed").put("body", "A thread to aim at.")).bodyAsJsonObject();
        Browser b = node.browser().signIn("fuzz@example.org");
        b.get("/courses/demo/spring");
        cookie = b.cookieHeader();
        csrf = b.csrf();
        long account = ada.call(HttpMethod.GET, "/api/v1/me", null).bodyAsJsonObject().getLong("id", 1L);
        REAL.put("course", "demo");
        REAL.put("cohort", "spring");
        REAL.put("module", "week-1");
        REAL.put("thread", String.valueOf(thread.getLong("id")));
        REAL.put("number", "1");
        REAL.put("account", String.valueOf(account));
        REAL.put("handle", "fuzz");
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private record Target(HttpMethod method, String path) {
    }

    /** Every route with a path, once per method it answers (GET and POST for routes that take any method). */
    private static List<Target> targets() {
        Set<String> seen = new TreeSet<>();
        List<Target> list = new ArrayList<>();
        for (Route r : node.app.router().getRoutes()) {
            String path = r.getPath();
            if (path == null) continue; // the filters every request passes (headers, body, guard, security) and the 404
            Set<HttpMethod> methods = r.methods();
            if (methods == null || methods.isEmpty()) methods = Set.of(HttpMethod.GET, HttpMethod.POST);
            for (HttpMethod m : methods) if (seen.add(m + " " + path)) list.add(new Target(m, path));
        }
        return list;
    }

    private static List<String> params(String pattern) {
        List<String> names = new ArrayList<>();
        Matcher m = PARAM.matcher(pattern);
        while (m.find()) names.add(m.group(1));
        return names;
    }

    /** The route's address with real ids, except {@code hostile} in parameter {@code which} (or the query if none). */
    private static String fill(String pattern, String hostile, int which) {
        Matcher m = PARAM.matcher(pattern);
        StringBuilder out = new StringBuilder();
        int i = 0;
        boolean used = false;
        while (m.find()) {
            boolean here = hostile != null && i == which;
            used |= here;
            m.appendReplacement(out, Matcher.quoteReplacement(here ? hostile : REAL.getOrDefault(m.group(1), "1")));
            i++;
        }
        m.appendTail(out);
        String path = out.toString().replace("*", "x");
        return hostile != null && !used ? path + "?q=" + hostile + "&after=" + hostile + "&to=" + hostile : path;
    }

    @Test
    void noRouteAnswers5xxToAnything() {
        List<Target> targets = targets();
        assertTrue(targets.size() > 100, "the router lists its routes: " + targets.size());
        List<String> failures = new ArrayList<>();
        int requests = 0;
        for (int r = 0; r < targets.size(); r++) {
            Target t = targets.get(r);
            int k = Math.max(1, params(t.path()).size());
            List<String> values = new ArrayList<>();
            values.add(null); // real ids
            values.addAll(ALWAYS);
            for (int j = 0; j < 3; j++) values.add(HOSTILE.get((r * 3 + j) % HOSTILE.size()));
            for (int v = 0; v < values.size(); v++) {
                String path = fill(t.path(), values.get(v), (r + v) % k);
                // Real ids both signed out and in; a hostile value once, signed in or out in turn.
                for (boolean signedIn : values.get(v) == null ? new boolean[] {false, true} : new boolean[] {(r + v) % 2 == 0}) {
                    String header = HEADERS.get(requests % HEADERS.size());
                    String body = BODIES.get(requests % BODIES.size());
                    String failure = send(t.method(), path, signedIn, header, body);
                    requests++;
                    if (failure != null) failures.add(failure);
                }
            }
        }
        // Every page people read, with real ids, gets each hostile header (Accept-Language broke every HTML page).
        int headerRequests = 0;
        for (Target t : targets) {
            if (t.method() != HttpMethod.GET) continue;
            for (int h = 0; h < HEADERS.size(); h += 6) {
                String failure = send(HttpMethod.GET, fill(t.path(), null, 0), (h / 6) % 2 == 0,
                        HEADERS.get((h + headerRequests) % HEADERS.size()), null);
                headerRequests++;
                if (failure != null) failures.add(failure);
            }
        }
        System.out.println("fuzz: " + (requests + headerRequests) + " requests over " + targets.size() + " routes ("
                + (HOSTILE.size() + ALWAYS.size()) + " hostile values, " + BODIES.size() + " bodies, " + HEADERS.size() + " headers): "
                + failures.size() + " answers 5xx or none");
        assertEquals(List.of(), failures.subList(0, Math.min(30, failures.size())), failures.size() + " answers 5xx or none");
    }

    /** One raw request; a description if the answer was 5xx or never came, else null. */
    private static String send(HttpMethod method, String path, boolean signedIn, String header, String body) {
        StringBuilder head = new StringBuilder(method.name() + " " + path + " HTTP/1.1");
        boolean cookieHeader = header.startsWith("Cookie");
        if (signedIn && !cookieHeader) head.append("\r\nCookie: ").append(cookie);
        if (signedIn) head.append("\r\nX-CSRF-Token: ").append(csrf);
        head.append("\r\n").append(header);
        byte[] bytes = null;
        if (method != HttpMethod.GET && method != HttpMethod.DELETE && method != HttpMethod.HEAD) {
            boolean json = body.startsWith("{") || body.startsWith("[") || body.equals("null");
            head.append("\r\nContent-Type: ").append(json ? "application/json" : "application/x-www-form-urlencoded");
            String withToken = json || !signedIn ? body : "_csrf=" + csrf + (body.isEmpty() ? "" : "&" + body);
            bytes = withToken.getBytes(StandardCharsets.ISO_8859_1);
        }
        RawHttp.Answer a = RawHttp.send(node.port(), head.toString(), bytes);
        if (a.status() >= 500 || a.status() < 0) {
            return a.status() + " " + method + " " + path.substring(0, Math.min(100, path.length())) + (signedIn ? " (signed in)" : "")
                    + " [" + header.substring(0, Math.min(40, header.length())) + "]"
                    + (body == null || bytes == null ? "" : " body " + body.substring(0, Math.min(30, body.length())));
        }
        return null;
    }
}
