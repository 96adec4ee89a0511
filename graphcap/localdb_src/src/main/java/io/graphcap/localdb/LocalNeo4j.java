package io.graphcap.localdb;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.ByteUnit;

/**
 * graphcap's local Neo4j: Neo4j Community as an embedded DBMS with the Bolt connector on
 * 127.0.0.1 only. Started and stopped by {@code graphcap neo4j start|stop} (graphcap/localdb.py).
 *
 * <p>Arguments: {@code <home-dir> <bolt-port>}. The password for the {@code neo4j} user comes
 * from the environment variable {@code GRAPHCAP_NEO4J_PASSWORD} (never from the command line,
 * which other users could read). Prints {@code GRAPHCAP-NEO4J-READY <port>} once Bolt accepts
 * connections and shuts down cleanly on SIGTERM.
 */
public final class LocalNeo4j {
    private LocalNeo4j() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: LocalNeo4j <home-dir> <bolt-port>");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        String password = System.getenv("GRAPHCAP_NEO4J_PASSWORD");
        if (password == null || password.length() < 8) {
            System.err.println("GRAPHCAP_NEO4J_PASSWORD must be set (at least 8 characters)");
            System.exit(2);
        }

        String pagecache = System.getenv().getOrDefault("GRAPHCAP_NEO4J_PAGECACHE", "512m");

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                // LOAD CSV may read only files under <home>/import (benchmark baselines); the
                // analyst console refuses LOAD CSV altogether.
                .setConfig(GraphDatabaseSettings.load_csv_file_url_root, home.resolve("import"))
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.parse(pagecache))
                .build();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("GRAPHCAP-NEO4J-STOPPING");
            dbms.shutdown();
            stopped.countDown();
        }, "graphcap-neo4j-shutdown"));

        // Set the password of the built-in user on every start, so the one in the data dir's
        // password file is always the one in force (and no password change is required).
        try {
            dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
        } catch (RuntimeException e) {
            // On a restart with the same password Neo4j refuses to "change" it; that is fine.
            String message = String.valueOf(e.getMessage());
            if (!message.contains("cannot be the same")) {
                throw e;
            }
        }

        System.out.println("GRAPHCAP-NEO4J-READY " + port);
        System.out.flush();
        stopped.await();
    }
}
