package io.sparkcae.jobs.docs;

import java.nio.file.Files;
import java.nio.file.Path;

/** The checkout the tests read pages and files from: Surefire's sparkcae.repo.root, else the first parent with docs/. */
final class RepoRoot {
    private RepoRoot() {
    }

    static Path get() {
        String prop = System.getProperty("sparkcae.repo.root");
        if (prop != null && !prop.isBlank() && isRoot(Path.of(prop))) {
            return Path.of(prop);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (isRoot(p)) {
                return p;
            }
        }
        throw new IllegalStateException("no repository root (README.md and docs/) above " + Path.of("").toAbsolutePath());
    }

    private static boolean isRoot(Path p) {
        return Files.isRegularFile(p.resolve("README.md")) && Files.isDirectory(p.resolve("docs"));
    }
}
