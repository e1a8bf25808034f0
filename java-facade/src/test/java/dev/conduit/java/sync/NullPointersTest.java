package dev.conduit.java.sync;

import com.google.common.testing.NullPointerTester;
import dev.conduit.Clock;
import dev.conduit.context.Context;
import dev.conduit.java.resilience.RateLimiter;
import dev.conduit.java.resilience.Reservation;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Guava's {@link NullPointerTester} over every public sync and resilience facade class: each
 * public factory and method refuses a null argument at the call with a
 * {@link NullPointerException}, before it does anything else.
 */
@Timeout(60)
class NullPointersTest {
    private static NullPointerTester tester() {
        return new NullPointerTester()
                .setDefault(Context.class, Context.background())
                .setDefault(Duration.class, Duration.ZERO)
                .setDefault(Clock.class, Clock.system())
                .setDefault(String.class, "name")
                .setDefault(Mutex.class, Mutex.create());
    }

    @Test
    void factoriesRefuseNulls() {
        for (Class<?> type : List.of(Semaphore.class, Mutex.class, RWMutex.class, Cond.class, Barrier.class,
                WaitGroup.class, Once.class, OnceValue.class, ErrGroup.class, RateLimiter.class, Reservation.class)) {
            tester().testAllPublicStaticMethods(type);
        }
    }

    @Test
    void methodsRefuseNulls() {
        Mutex mu = Mutex.create();
        for (Object facade : List.of(Semaphore.create(2), mu, RWMutex.create(), RWMutex.create().rLocker(), Cond.create(mu), Barrier.create(2),
                WaitGroup.create(), Once.create(), OnceValue.create(() -> "v"), ErrGroup.create(),
                RateLimiter.create(1.0, 1), RateLimiter.create(1.0, 1).reserve())) {
            tester().testAllPublicInstanceMethods(facade);
        }
    }
}
