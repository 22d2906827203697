package io.chakrai.lab.ml;

import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/** The registry's database, for the command line (password from CHAKRAI_DB_PASSWORD only). */
final class Registries {
    private Registries() {
    }

    static DataSource dataSource(String url, String user) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(url);
        ds.setUser(user);
        ds.setPassword(System.getenv().getOrDefault("CHAKRAI_DB_PASSWORD", ""));
        return ds;
    }
}
