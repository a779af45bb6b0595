package io.sparkcae.jobs.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Debian's real Chromium, headless, driven over the Chrome DevTools Protocol on 127.0.0.1, to check an HTML
 * page as a person's browser shows it: every script error and console or log error the page produced, every
 * image that did not load, and a full-page screenshot. One page load per instance.
 */
public final class HeadlessChromium implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/bin/chromium");
    /** What a test that needs the browser says when it is missing (CI installs it; a skip would hide it). */
    public static final String INSTALL_HINT = "Chromium is not installed at " + BINARY
            + ": install it with `apt-get install -y chromium` (.ci/run does)";
    /** Bounds every wait on the browser, so a wedged browser fails the test instead of hanging it. */
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a page load showed: errors in the order the browser reported them, and the images that failed. */
    public record PageCheck(List<String> errors, List<String> brokenImages, int images, byte[] screenshotPng) {
        public boolean clean() {
            return errors.isEmpty() && brokenImages.isEmpty();
        }

        @Override
        public String toString() {
            return images + " images, broken " + brokenImages + ", errors " + errors;
        }
    }

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
    private volatile CompletableFuture<Void> loaded = new CompletableFuture<>();

    private HeadlessChromium(Process process, Path profile, WebSocket socket) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
    }

    /** Fails the calling test, naming how to install the browser, when Chromium is absent. */
    public static void require() {
        if (!Files.isExecutable(BINARY)) {
            throw new AssertionError(INSTALL_HINT);
        }
    }

    /** Starts a fresh browser (its own empty profile, no network but loopback) and attaches to its page. */
    public static HeadlessChromium start() throws Exception {
        require();
        Path profile = Files.createTempDirectory("sparkcae-chromium");
        Process p = new ProcessBuilder(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-extensions", "--hide-scrollbars",
                "--window-size=1280,900", "--user-data-dir=" + profile, "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0", "about:blank")
                .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
        HeadlessChromium browser = null;
        try {
            int port = awaitPort(p, profile);
            HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).connectTimeout(WAIT).build();
            String ws = pageTarget(http, port);
            Listener listener = new Listener();
            WebSocket socket = http.newWebSocketBuilder().connectTimeout(WAIT).buildAsync(URI.create(ws), listener)
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            browser = new HeadlessChromium(p, profile, socket);
            listener.owner = browser;
            browser.call("Runtime.enable", null);
            browser.call("Log.enable", null);
            browser.call("Page.enable", null);
            return browser;
        } catch (Exception | Error e) {
            if (browser != null) {
                browser.close();
            } else {
                stop(p, profile);
            }
            throw e;
        }
    }

    /**
     * Loads {@code page}, waits for its load event, checks its images and takes a full-page screenshot.
     *
     * @param screenshot where to write the PNG, or null
     */
    public PageCheck check(URI page, Path screenshot) throws Exception {
        loaded = new CompletableFuture<>();
        ObjectNode nav = JSON.createObjectNode().put("url", page.toString());
        JsonNode r = call("Page.navigate", nav);
        if (r.hasNonNull("errorText")) {
            errors.add("navigation to " + page + " failed: " + r.get("errorText").asText());
            return new PageCheck(List.copyOf(errors), List.of(), 0, new byte[0]);
        }
        loaded.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        // An image counts only when the browser decoded it: complete alone is also true for a failed load.
        JsonNode images = evaluate("JSON.stringify({n: document.images.length, broken: Array.from(document.images)"
                + ".filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.getAttribute('src'))})");
        JsonNode img = JSON.readTree(images.asText());
        List<String> broken = new ArrayList<>();
        img.get("broken").forEach(b -> broken.add(b.asText()));
        JsonNode size = call("Page.getLayoutMetrics", null).get("cssContentSize");
        ObjectNode shot = JSON.createObjectNode().put("format", "png").put("captureBeyondViewport", true);
        shot.putObject("clip").put("x", 0).put("y", 0).put("width", size.get("width").asDouble())
                .put("height", size.get("height").asDouble()).put("scale", 1);
        byte[] png = Base64.getDecoder().decode(call("Page.captureScreenshot", shot).get("data").asText());
        if (screenshot != null) {
            Files.createDirectories(screenshot.toAbsolutePath().getParent());
            Files.write(screenshot, png);
        }
        // The screenshot's round trip also delivered every event the browser sent before it.
        return new PageCheck(List.copyOf(errors), List.copyOf(broken), img.get("n").asInt(), png);
    }

    private JsonNode evaluate(String expression) throws Exception {
        ObjectNode p = JSON.createObjectNode().put("expression", expression).put("returnByValue", true);
        JsonNode r = call("Runtime.evaluate", p);
        if (r.has("exceptionDetails")) {
            throw new IllegalStateException("evaluating the page check failed: " + r.get("exceptionDetails"));
        }
        return r.get("result").get("value");
    }

    private JsonNode call(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> result = new CompletableFuture<>();
        pending.put(id, result);
        ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
        if (params != null) {
            msg.set("params", params);
        }
        socket.sendText(JSON.writeValueAsString(msg), true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        try {
            return result.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(method + ": Chromium did not answer within " + WAIT + "; log: " + log(profile), e);
        }
    }

    private void onMessage(JsonNode m) {
        if (m.has("id")) {
            CompletableFuture<JsonNode> f = pending.remove(m.get("id").asInt());
            if (f != null) {
                if (m.has("error")) {
                    f.completeExceptionally(new IllegalStateException("CDP error: " + m.get("error")));
                } else {
                    f.complete(m.get("result"));
                }
            }
            return;
        }
        String method = m.path("method").asText();
        JsonNode p = m.path("params");
        switch (method) {
            case "Page.loadEventFired" -> loaded.complete(null);
            case "Runtime.exceptionThrown" -> {
                JsonNode d = p.path("exceptionDetails");
                String text = d.path("exception").path("description").asText(d.path("text").asText());
                errors.add("script error: " + text + " (" + d.path("url").asText() + ":" + d.path("lineNumber").asInt() + ")");
            }
            case "Runtime.consoleAPICalled" -> {
                if (p.path("type").asText().equals("error")) {
                    StringBuilder s = new StringBuilder("console error:");
                    p.path("args").forEach(a -> s.append(' ').append(a.path("value").asText(a.path("description").asText())));
                    errors.add(s.toString());
                }
            }
            case "Log.entryAdded" -> {
                JsonNode e = p.path("entry");
                if (e.path("level").asText().equals("error")) {
                    errors.add(e.path("source").asText() + " error: " + e.path("text").asText() + " " + e.path("url").asText());
                }
            }
            default -> {
            }
        }
    }

    /** Reassembles the text frames of one CDP message (a screenshot arrives in many) and hands it on. */
    private static final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        volatile HeadlessChromium owner;

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                try {
                    JsonNode m = JSON.readTree(text.toString());
                    if (owner != null) {
                        owner.onMessage(m);
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                } finally {
                    text.setLength(0);
                }
            }
            ws.request(1);
            return null;
        }
    }

    private static int awaitPort(Process p, Path profile) throws IOException, InterruptedException {
        Path portFile = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(portFile)) {
                List<String> lines = Files.readAllLines(portFile);
                if (!lines.isEmpty() && !lines.get(0).isBlank()) {
                    return Integer.parseInt(lines.get(0).trim());
                }
            }
            if (!p.isAlive()) {
                throw new IOException("Chromium exited with " + p.exitValue() + " before opening its DevTools port; log: "
                        + log(profile));
            }
            Thread.sleep(50);
        }
        stop(p, profile);
        throw new IOException("Chromium opened no DevTools port within " + WAIT + "; log: " + log(profile));
    }

    private static String pageTarget(HttpClient http, int port) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json"))
                .timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
        for (JsonNode t : JSON.readTree(r.body())) {
            if (t.path("type").asText().equals("page") && t.hasNonNull("webSocketDebuggerUrl")) {
                return t.get("webSocketDebuggerUrl").asText();
            }
        }
        throw new IOException("Chromium lists no page target: " + r.body());
    }

    private static String log(Path profile) {
        try {
            String s = Files.readString(profile.resolve("chromium.log"));
            return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Ends the browser and the processes it started (renderer, GPU, zygote), then removes its profile. */
    private static void stop(Process p, Path profile) {
        List<ProcessHandle> children = p.descendants().toList();
        p.destroy();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        children.forEach(ProcessHandle::destroyForcibly);
        try (var s = Files.walk(profile)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp profile is harmless
        }
    }

    @Override
    public void close() {
        socket.abort();
        stop(process, profile);
    }
}
