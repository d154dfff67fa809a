package org.knowmad.account;

import io.vertx.sqlclient.Row;

/** A person who has signed in at least once (or was given a token or link from the command line). */
public record Account(long id, String email, String name, String language) {

    static Account from(Row row) {
        return new Account(row.getLong("id"), row.getString("email"), row.getString("name"), row.getString("language"));
    }

    /** What other people see: the name if given, else the part of the email before the @. */
    public String displayName() {
        return shownName(name, email);
    }

    /** The same rule for rows that carry a name and an address without being an account. */
    public static String shownName(String name, String email) {
        if (name != null && !name.isBlank()) return name;
        int at = email.indexOf('@');
        return at > 0 ? email.substring(0, at) : email;
    }
}
