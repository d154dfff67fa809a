package org.knowmad;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import org.knowmad.account.AccountStore;
import org.knowmad.account.SessionStore;
import org.knowmad.account.SigninService;
import org.knowmad.db.DatabaseTarget;
import org.knowmad.db.Pools;
import org.knowmad.notify.Outbox;
import org.knowmad.web.Messages;

/** The few services the one-shot commands need, without a web server. */
record CommandServices(Pool pool, SigninService signin) {

    static CommandServices create(Vertx vertx, Config config, DatabaseTarget target) {
        Pool pool = Pools.create(vertx, target, 2);
        SigninService signin = new SigninService(pool, Clock.systemUTC(), new Outbox(), new AccountStore(), new SessionStore(),
                new Messages(), config.baseUrl());
        return new CommandServices(pool, signin);
    }

    Future<Void> close() {
        return pool.close();
    }
}
