package io.chakrai.launcher;

import io.chakrai.api.auth.UserRepository;
import io.chakrai.lab.client.DatabaseOptions;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code chakrai grant-role EMAIL ROLE}: an operator gives an account its role (never possible
 * through the API).
 */
@Command(
        name = "grant-role",
        mixinStandardHelpOptions = true,
        description = "Give an account a role: person, facilitator, clinician or operator.")
public final class GrantRoleCommand implements Callable<Integer> {
    static final List<String> ROLES = List.of("person", "facilitator", "clinician", "operator");

    @Parameters(index = "0", description = "the account's e-mail")
    String email;

    @Parameters(index = "1", description = "person, facilitator, clinician or operator")
    String role;

    @Mixin DatabaseOptions db = new DatabaseOptions();

    @Override
    public Integer call() throws Exception {
        if (!ROLES.contains(role)) {
            System.err.println("role must be one of " + String.join(", ", ROLES));
            return 2;
        }
        if (!new UserRepository(db.dataSource()).setRole(email, role)) {
            System.err.println("no account with e-mail " + email);
            return 1;
        }
        System.out.println(email + " is now " + role + " (takes effect on their next request)");
        return 0;
    }
}
