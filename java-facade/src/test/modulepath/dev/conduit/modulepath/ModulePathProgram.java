package dev.conduit.modulepath;

import dev.conduit.chan.ChanKt;
import dev.conduit.context.CancelContext;
import dev.conduit.context.Context;
import dev.conduit.context.ContextException;
import dev.conduit.java.Go;
import dev.conduit.java.Goroutine;
import dev.conduit.java.chan.Channel;
import dev.conduit.java.chan.Select;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

/**
 * A named module using Conduit only through {@code requires dev.conduit.java;}: a goroutine and a
 * rendezvous, a buffered channel, a select ended by a context's timeout, a core channel's
 * {@code len} (which reads kotlinx.coroutines' state and once failed on the module path), and
 * proof that the facade's Kotlin bridge package is sealed. Prints "module path ok" when all held;
 * any failure is an exception and a non-zero exit.
 */
public final class ModulePathProgram {
    private ModulePathProgram() {}

    /**
     * Runs the checks. Blocks for at most a few seconds.
     *
     * @param args ignored
     * @throws Exception if a check fails
     */
    public static void main(String[] args) throws Exception {
        checkSealed(Channel.class.getModule(), "dev.conduit.java", Set.of("dev.conduit.java.internal"));
        checkSealed(Context.class.getModule(), "dev.conduit.runtime", Set.of());

        Channel<String> ping = Channel.create();
        Goroutine sender = Go.go(() -> ping.send("ping"));
        check("ping".equals(ping.receive(Duration.ofSeconds(10))), "a goroutine's send meets this thread's receive");
        check(sender.join(Duration.ofSeconds(10)), "the goroutine ends after its send");

        Channel<Integer> buffered = Channel.create(4);
        for (int i = 0; i < 4; i++) buffered.send(i);
        int sum = 0;
        for (int i = 0; i < 4; i++) sum += buffered.receive();
        check(sum == 6, "a buffered channel gives back what it took, but the sum was " + sum);
        check(ChanKt.<Integer>Chan(2).getLen() == 0, "a new core channel is empty");

        try (CancelContext ctx = Context.background().withTimeout(Duration.ofMillis(20))) {
            int fired = Select.create()
                    .onReceive(Channel.<Integer>create(), v -> {})
                    .onDone(ctx, () -> {})
                    .run();
            ContextException err = ctx.getErr();
            check(fired == 1 && err != null && err.isTimeout(),
                    "the context's deadline ends the select, but case " + fired + " fired with err " + err);
        }

        Class<?> bridge = Class.forName("dev.conduit.java.internal.GoThreads");
        try {
            bridge.getField("INSTANCE").get(null);
            throw new AssertionError("dev.conduit.java.internal is readable from another module");
        } catch (IllegalAccessException expected) {
            // the package is not exported: public members of its public classes stay inside the module
        }
        System.out.println("module path ok");
    }

    /** Checks that {@code module} is the named, explicit module {@code name} exporting all its packages but {@code sealed}. */
    private static void checkSealed(Module module, String name, Set<String> sealed) {
        check(name.equals(module.getName()), "expected module " + name + ", but was " + module);
        check(!module.getDescriptor().isAutomatic(), name + " has a module descriptor, not an automatic name");
        Set<String> unexported = new TreeSet<>();
        for (String p : module.getPackages()) {
            if (!module.isExported(p)) unexported.add(p);
        }
        check(unexported.equals(new TreeSet<>(sealed)), name + " should export every package but " + sealed + ", but leaves out " + unexported);
    }

    private static void check(boolean ok, String what) {
        if (!ok) throw new AssertionError(what);
    }
}
