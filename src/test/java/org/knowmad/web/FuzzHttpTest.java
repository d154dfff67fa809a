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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * A bounded fuzz of every route the router has (taken from the router, so new routes are fuzzed too): each
 * path parameter filled with real ids and with hostile values, every method, signed out and signed in as a
 * participant (cookie and CSRF token), hostile form and JSON bodies and headers. Not one answer may be 5xx.
 */
@ExtendWith(VertxExtension.class)
class FuzzHttpTest {

    private static final Pattern PARAM = Pattern.compile(":([A-Za-z]+)");
    private static final List<String> HOSTILE = List.of("a%00b", "%C3%28", "%FF%FE", "99999999999999999999999", "-1", "0",
            "..%2F..%2Fetc%2Fpasswd", "x".repeat(3000), "%E2%80%AE%F0%9F%98%80", "%27%22%3Cscript%3Ealert(1)%3C%2Fscript%3E",
            "%ED%A0%80", "1e309", "%20", "null");
    private static final List<String> BODIES = List.of("", "body=%00&title=%00", "body=%FF&title=%C3%28", "body=" + "y".repeat(20_000),
            "scores[clarity]=9&comment=%00", "{\"body\":\"\\u0000\"}", "{\"body\": [1, {\"a\": null}]}", "{bad json", "%%%", "a=1&a=2&a=3");
    private static final List<String> HEADERS = List.of("Accept-Language: ,", "Accept-Language: -", "Accept: */*;q=", "Accept: application/json",
            "Cookie: knowmad_session=" + "z".repeat(4000), "Cookie: knowmad_lang=%00", "X-Forwarded-For: not-an-ip", "Idempotency-Key: " + "k".repeat(500),
            "Authorization: Bearer %00", "Authorization: Basic Zm9vOmJhcg==", "If-Modified-Since: yesterday", "Range: bytes=-1");

    private static TestNode node;
    private static MutableClock clock;
    private static Map<String, String> real;
    private static String cookie;
    private static String csrf;

    @BeforeAll
    static void start(Vertx vertx) {
        clock = new MutableClock(Fixtures.SPRING_DAY_2);
        node = TestNode.demo(vertx, clock);
        ApiUser ada = ApiUser.joined(node, clock, "fuzz@example.org", "spring");
        long thread = ada.call(HttpMethod.POST, "/api/v1/courses/demo/spring/modules/week-1/threads",
                new JsonObject().put("title", "Fuzzed").put("body", "A thread to aim at.")).bodyAsJsonObject().getLong("id");
        Browser b = node.browser().signIn("fuzz@example.org");
        b.get("/courses/demo/spring");
        cookie = b.cookieHeader();
        csrf = b.csrf();
        real = new LinkedHashMap<>();
        real.put("course", "demo");
        real.put("cohort", "spring");
        real.put("module", "week-1");
        real.put("thread", String.valueOf(thread));
        real.put("number", "1");
        real.put("handle", "fuzz");
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private record Target(HttpMethod method, String path) {
    }

    private static List<Target> targets() {
        List<Target> list = new ArrayList<>();
        for (Route r : node.app.router().getRoutes()) {
            String path = r.getPath();
            if (path == null) continue; // the catch-all and the filters that every request passes
            Set<HttpMethod> methods = r.methods();
            if (methods == null || methods.isEmpty()) methods = Set.of(HttpMethod.GET, HttpMethod.POST);
            for (HttpMethod m : methods) list.add(new Target(m, path));
        }
        return list;
    }

    private static String fill(String pattern, int hostileIndex, int which) {
        Matcher m = PARAM.matcher(pattern);
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (m.find()) {
            String value = hostileIndex >= 0 && i == which ? HOSTILE.get(hostileIndex) : real.getOrDefault(m.group(1), "1");
            m.appendReplacement(out, Matcher.quoteReplacement(value));
            i++;
        }
        m.appendTail(out);
        return out.toString().replace("*", "x");
    }

    private static int params(String pattern) {
        Matcher m = PARAM.matcher(pattern);
        int n = 0;
        while (m.find()) n++;
        return n;
    }

    @Test
    void noRouteAnswers5xxToAnything() {
        List<String> failures = new ArrayList<>();
        int requests = 0;
        List<Target> targets = targets();
        assertTrue(targets.size() > 100, "the router lists its routes: " + targets.size());
        for (Target t : targets) {
            int k = Math.max(1, params(t.path()));
            for (int h = -1; h < HOSTILE.size(); h++) {
                String path = fill(t.path(), h, Math.max(0, h) % k);
                if (h >= 0 && params(t.path()) == 0) path = path + "?q=" + HOSTILE.get(h) + "&after=" + HOSTILE.get(h);
                for (boolean signedIn : new boolean[] {false, true}) {
                    String body = t.method() == HttpMethod.GET || t.method() == HttpMethod.DELETE ? null : BODIES.get(Math.floorMod(h + (signedIn ? 3 : 0), BODIES.size()));
                    String header = HEADERS.get(Math.floorMod(requests, HEADERS.size()));
                    StringBuilder head = new StringBuilder(t.method().name() + " " + path + " HTTP/1.1");
                    if (signedIn && !header.startsWith("Cookie")) head.append("\r\nCookie: ").append(cookie).append("\r\nX-CSRF-Token: ").append(csrf);
                    head.append("\r\n").append(header);
                    byte[] bytes = null;
                    if (body != null) {
                        boolean json = body.startsWith("{");
                        head.append("\r\nContent-Type: ").append(json ? "application/json" : "application/x-www-form-urlencoded");
                        String withToken = json || !signedIn ? body : "_csrf=" + csrf + (body.isEmpty() ? "" : "&" + body);
                        bytes = withToken.getBytes(StandardCharsets.ISO_8859_1);
                    }
                    RawHttp.Answer a = RawHttp.send(node.port(), head.toString(), bytes);
                    requests++;
                    if (a.status() >= 500 || a.status() < 0) {
                        failures.add(a.status() + " " + t.method() + " " + path.substring(0, Math.min(120, path.length()))
                                + (signedIn ? " (signed in)" : "") + " [" + header.substring(0, Math.min(40, header.length())) + "]");
                    }
                }
            }
        }
        System.out.println("fuzz: " + requests + " requests over " + targets.size() + " routes, " + failures.size() + " answers 5xx");
        assertEquals(List.of(), failures.subList(0, Math.min(40, failures.size())), failures.size() + " answers 5xx");
    }
}
