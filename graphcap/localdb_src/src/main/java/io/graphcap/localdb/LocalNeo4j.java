package io.graphcap.localdb;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.ByteUnit;
import org.neo4j.kernel.api.procedure.GlobalProcedures;
import org.neo4j.kernel.internal.GraphDatabaseAPI;

/**
 * graphcap's local Neo4j: Neo4j Community as an embedded DBMS with the Bolt connector on
 * 127.0.0.1 only. Started and stopped by {@code graphcap neo4j start|stop} (graphcap/localdb.py).
 *
 * <p>Arguments: {@code <home-dir> <bolt-port>}. The password for the {@code neo4j} user comes
 * from the environment variable {@code GRAPHCAP_NEO4J_PASSWORD} (never from the command line,
 * which other users could read). Prints {@code GRAPHCAP-NEO4J-READY <port>} once Bolt accepts
 * connections and shuts down cleanly on SIGTERM.
 *
 * <p>Graph Data Science (optional, GPLv3, resolved by {@code neo4j-local/gds/pom.xml} only when
 * asked for): when its jars are on the class path, its kernel extensions load by themselves, but an
 * embedded DBMS does not scan for procedures as a server's {@code plugins/} folder does (and that
 * folder fails here with a ComponentInjectionException). So the launcher registers every procedure
 * and function class the jars list in {@code META-INF/services/org.neo4j.procedure.*} through
 * {@link GlobalProcedures}, and prints {@code GRAPHCAP-NEO4J-GDS <procedures> <functions>}.
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

        // optional cap on one transaction's memory (tests: work must be batched to fit)
        String txMemory = System.getenv().getOrDefault("GRAPHCAP_NEO4J_TX_MEMORY", "");

        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home);
        if (!txMemory.isEmpty()) {
            builder.setConfig(GraphDatabaseSettings.memory_transaction_max_size, ByteUnit.parse(txMemory));
        }
        DatabaseManagementService dbms = builder
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                // LOAD CSV may read only files under <home>/import (benchmark baselines); the
                // analyst console refuses LOAD CSV altogether.
                .setConfig(GraphDatabaseSettings.load_csv_file_url_root, home.resolve("import"))
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.parse(pagecache))
                // GDS reaches into the kernel; harmless when GDS is not on the class path
                .setConfig(GraphDatabaseSettings.procedure_unrestricted, List.of("gds.*"))
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

        registerListedProcedures(dbms);
        System.out.println("GRAPHCAP-NEO4J-READY " + port);
        System.out.flush();
        stopped.await();
    }

    /** Registers the procedure and function classes listed by jars on the class path. */
    private static void registerListedProcedures(DatabaseManagementService dbms) throws Exception {
        Set<String> procedures = listed("META-INF/services/org.neo4j.procedure.Procedure");
        Set<String> functions = listed("META-INF/services/org.neo4j.procedure.UserFunction");
        Set<String> aggregations =
                listed("META-INF/services/org.neo4j.procedure.UserAggregationFunction");
        if (procedures.isEmpty() && functions.isEmpty() && aggregations.isEmpty()) {
            return;
        }
        GraphDatabaseAPI system =
                (GraphDatabaseAPI) dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
        GlobalProcedures registry =
                system.getDependencyResolver().resolveDependency(GlobalProcedures.class);
        ClassLoader loader = LocalNeo4j.class.getClassLoader();
        for (String name : procedures) {
            registry.registerProcedure(Class.forName(name, true, loader));
        }
        for (String name : functions) {
            registry.registerFunction(Class.forName(name, true, loader));
        }
        for (String name : aggregations) {
            registry.registerAggregationFunction(Class.forName(name, true, loader));
        }
        System.out.println("GRAPHCAP-NEO4J-GDS " + procedures.size() + " " + functions.size());
    }

    private static Set<String> listed(String resource) throws IOException {
        Set<String> names = new LinkedHashSet<>();
        Enumeration<URL> urls = LocalNeo4j.class.getClassLoader().getResources(resource);
        while (urls.hasMoreElements()) {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(
                    urls.nextElement().openStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    int hash = line.indexOf('#');
                    String name = (hash >= 0 ? line.substring(0, hash) : line).trim();
                    if (!name.isEmpty()) {
                        names.add(name);
                    }
                }
            }
        }
        return names;
    }
}
