package dev.llmserve.loadgen.load;

import reactor.core.Disposable;

/** Offers the load of one run until the issuer stops accepting requests. */
interface LoadDriver {

	/** Starts offering load; disposing the result stops starting new work. */
	Disposable start();

}
