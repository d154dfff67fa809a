package org.knowmad;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.knowmad.account.Tokens;

/** The cookie-signing secret: {@code SECRET}, else one generated on first start and kept in the data folder. */
final class Secrets {

    private Secrets() {
    }

    static String resolve(Config config) {
        if (config.secret() != null) return config.secret();
        Path file = config.dataDir().resolve("secret");
        try {
            if (Files.exists(file)) return Files.readString(file).trim();
            Files.createDirectories(config.dataDir());
            String secret = Tokens.random();
            Files.writeString(file, secret);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // Not a POSIX file system: the folder's own permissions apply.
            }
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create " + file + "; set SECRET instead", e);
        }
    }
}
