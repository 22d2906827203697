package io.chakrai.lab.client;

import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import picocli.CommandLine.Option;

/**
 * How a command reaches the platform's PostgreSQL (a picocli mixin): {@code --db-url}, {@code
 * --db-user}, the password from {@code CHAKRAI_DB_PASSWORD} only, so it never shows in a process
 * list.
 */
public final class DatabaseOptions {
    @Option(
            names = "--db-url",
            defaultValue = "${env:CHAKRAI_DB_URL:-jdbc:postgresql://localhost:5432/chakrai}")
    public String url;

    @Option(names = "--db-user", defaultValue = "${env:CHAKRAI_DB_USER:-postgres}")
    public String user;

    public DataSource dataSource() {
        return dataSource(url, user);
    }

    public static DataSource dataSource(String url, String user) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(url);
        ds.setUser(user);
        ds.setPassword(System.getenv().getOrDefault("CHAKRAI_DB_PASSWORD", ""));
        return ds;
    }
}
