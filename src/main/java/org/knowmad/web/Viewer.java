package org.knowmad.web;

import io.vertx.ext.web.RoutingContext;
import org.knowmad.account.Account;

/**
 * Who is asking: an account (signed in by cookie or by API token) or a visitor.
 *
 * @param csrfToken the token forms must echo back; null for API-token requests, which need none
 */
public record Viewer(Account account, String csrfToken, boolean viaApiToken) {

    static final String KEY = "viewer";

    public static Viewer of(RoutingContext ctx) {
        return ctx.get(KEY);
    }

    public boolean signedIn() {
        return account != null;
    }

    public long accountId() {
        if (account == null) throw HttpProblem.signInRequired();
        return account.id();
    }

    public String email() {
        return account == null ? null : account.email();
    }

    /** The account, or a 401 asking to sign in. */
    public Account require() {
        if (account == null) throw HttpProblem.signInRequired();
        return account;
    }
}
