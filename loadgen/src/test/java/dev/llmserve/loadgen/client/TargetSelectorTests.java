package dev.llmserve.loadgen.client;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TargetSelectorTests {

	@Test
	void picksTheTargetWithTheFewestRequestsInFlight() {
		TargetSelector selector = new TargetSelector(3);
		selector.acquire();
		selector.acquire();
		selector.acquire();
		selector.release(1);

		assertThat(selector.acquire()).isEqualTo(1);
	}

	@Test
	void spreadsEqualLoadRoundRobin() {
		TargetSelector selector = new TargetSelector(4);
		int[] picks = new int[8];
		for (int i = 0; i < picks.length; i++) {
			picks[i] = selector.acquire();
			selector.release(picks[i]);
		}

		assertThat(picks).containsExactly(0, 1, 2, 3, 0, 1, 2, 3);
	}

	@Test
	void keepsTargetsLevelUnderLoad() {
		TargetSelector selector = new TargetSelector(4);
		for (int i = 0; i < 10; i++) {
			selector.acquire();
		}

		for (int target = 0; target < 4; target++) {
			assertThat(selector.inFlight(target)).isBetween(2, 3);
		}
	}

}
