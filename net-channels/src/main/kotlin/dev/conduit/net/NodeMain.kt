package dev.conduit.net

import picocli.CommandLine
import picocli.CommandLine.Command
import picocli.CommandLine.Option
import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration
import java.util.concurrent.Callable
import java.util.concurrent.CountDownLatch
import kotlin.system.exitProcess

/**
 * The standalone node: `java -jar net-channels/target/conduit-node.jar --port 7070 --data-dir
 * data --token-file token.txt` runs a [ChannelNode] until the JVM is stopped (Ctrl-C or
 * SIGTERM close it cleanly). `--help` lists the options.
 */
@Command(
    name = "conduit-node",
    mixinStandardHelpOptions = true,
    version = ["conduit-node 0.1.0"],
    description = ["Runs a Conduit channel node: named channels that clients on other JVMs send to and receive from."],
)
public class NodeMain : Callable<Int> {
    @Option(names = ["--host"], description = ["Interface to bind (default: \${DEFAULT-VALUE}; 0.0.0.0 for all)."])
    private var host: String = "127.0.0.1"

    @Option(names = ["--port"], description = ["Port to listen on (default: \${DEFAULT-VALUE}; 0 picks a free one)."])
    private var port: Int = 7070

    @Option(names = ["--token"], description = ["A bearer token clients may present (repeatable)."])
    private var tokens: List<String> = emptyList()

    @Option(names = ["--token-file"], description = ["A file with one token per line."])
    private var tokenFile: Path? = null

    @Option(names = ["--allow-anonymous"], description = ["Let clients in without a token (only where no one else can reach the node)."])
    private var anonymous: Boolean = false

    @Option(names = ["--data-dir"], description = ["Directory for durable channels' logs (without it, durable channels are refused)."])
    private var dataDir: Path? = null

    @Option(names = ["--fsync"], description = ["When durable logs are forced to disk: \${COMPLETION-CANDIDATES} (default: \${DEFAULT-VALUE})."])
    private var fsync: NodeConfig.Fsync = NodeConfig.Fsync.PER_BATCH

    @Option(names = ["--max-frame-bytes"], description = ["Largest message, and so value, in bytes (default: \${DEFAULT-VALUE})."])
    private var maxFrameBytes: Int = 4 shl 20

    @Option(names = ["--heartbeat-ms"], description = ["Heartbeat interval in milliseconds (default: \${DEFAULT-VALUE})."])
    private var heartbeatMillis: Long = 5000

    @Option(names = ["--session-grace-ms"], description = ["How long a disconnected client's session is kept (default: \${DEFAULT-VALUE})."])
    private var sessionGraceMillis: Long = 30_000

    @Option(names = ["--http-port"], description = ["Port for /metrics (Prometheus) and the status page at / (default: none)."])
    private var httpPort: Int = -1

    @Option(names = ["--tls-keystore"], description = ["PKCS#12 key store with the node's TLS key and certificate."])
    private var tlsKeyStore: Path? = null

    @Option(names = ["--tls-password"], description = ["Password of --tls-keystore."])
    private var tlsPassword: String? = null

    /** Starts the node and blocks until the JVM shuts down; the exit code. */
    override fun call(): Int {
        val b = NodeConfig.builder().host(host).port(port).maxFrameBytes(maxFrameBytes)
            .heartbeat(Duration.ofMillis(heartbeatMillis)).sessionGrace(Duration.ofMillis(sessionGraceMillis)).fsync(fsync)
        tokens.forEach { b.token(it) }
        tokenFile?.let { f -> Files.readAllLines(f).map { it.trim() }.filter { it.isNotEmpty() }.forEach { b.token(it) } }
        if (anonymous) b.allowAnonymous()
        dataDir?.let { b.dataDir(it) }
        if (httpPort >= 0) b.httpPort(httpPort)
        tlsKeyStore?.let { b.tls(it, tlsPassword ?: throw CommandLine.ParameterException(CommandLine(this), "--tls-keystore needs --tls-password")) }
        val node = ChannelNode.start(b.build())
        val stopped = CountDownLatch(1)
        Runtime.getRuntime().addShutdownHook(
            Thread {
                node.close()
                stopped.countDown()
            },
        )
        println("conduit-node listening on ${node.address}${if (dataDir != null) " (data in $dataDir)" else ""}")
        if (node.httpPort >= 0) println("conduit-node status page and /metrics on http://${node.config.host}:${node.httpPort}/")
        System.out.flush()
        stopped.await()
        return 0
    }

    public companion object {
        /**
         * Runs the command line [args] and exits with its code (2 for a usage error, after
         * printing what was wrong). Blocks until the node stops.
         */
        @JvmStatic
        public fun main(args: Array<String>) {
            exitProcess(commandLine().execute(*args))
        }

        /** The picocli command line, for tests: it reports a bad configuration as a usage error. */
        internal fun commandLine(): CommandLine = CommandLine(NodeMain()).setExecutionExceptionHandler { e, cmd, _ ->
            if (e is IllegalArgumentException || e is IllegalStateException) {
                cmd.err.println("conduit-node: ${e.message}")
                cmd.usage(cmd.err)
                2
            } else {
                throw e
            }
        }
    }
}
