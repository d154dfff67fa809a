package org.knowmad.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowmad.db.DatabaseTarget;
import org.knowmad.db.Pools;
import org.knowmad.web.Messages;
import org.knowmad.web.Templates;

/**
 * The yardstick for the thread-page benchmark: the smallest Vert.x route that queries a 12-row table
 * and renders it through the same template engine, with the same pool settings and one server per core.
 *
 * <p>{@code java -cp ... org.knowmad.bench.MinimalPage postgresql://postgres@127.0.0.1:5432/knowmad_bench 8092}
 */
public final class MinimalPage {

    public static void main(String[] args) {
        DatabaseTarget db = DatabaseTarget.parse(args[0]);
        int port = Integer.parseInt(args[1]);
        Vertx vertx = Vertx.vertx();
        Pool pool = Pools.createForReads(vertx, db, 4);
        Templates templates = new Templates(new Messages());
        pool.query("CREATE TABLE IF NOT EXISTS fortune (id int PRIMARY KEY, message text NOT NULL)").execute()
                .compose(v -> pool.query("INSERT INTO fortune SELECT g, 'Fortune number ' || g || ': work out loud <b>and</b> share' "
                        + "FROM generate_series(1, 12) g ON CONFLICT DO NOTHING").execute())
                .compose(v -> vertx.deployVerticle(() -> new VerticleBase() {
                    @Override
                    public Future<?> start() {
                        return vertx.createHttpServer().requestHandler(req -> pool.preparedQuery("SELECT id, message FROM fortune ORDER BY id")
                                .execute()
                                .onSuccess(rows -> {
                                    List<Map<String, Object>> list = new ArrayList<>();
                                    for (Row r : rows) list.add(Map.of("id", r.getInteger(0), "message", r.getString(1)));
                                    String html = templates.render("bench/fortunes", Map.of("fortunes", list, "lang", "en"));
                                    req.response().putHeader("Content-Type", "text/html; charset=utf-8").end(html);
                                })
                                .onFailure(e -> req.response().setStatusCode(500).end()))
                                .listen(port);
                    }
                }, new DeploymentOptions().setInstances(Runtime.getRuntime().availableProcessors())))
                .onSuccess(id -> System.out.println("minimal page on port " + port))
                .onFailure(e -> {
                    e.printStackTrace();
                    System.exit(1);
                });
    }
}
