// This file is the Retry layer's retry budget, after the AWS SDKs' retry
// quota: a token bucket that resends draw from and successes refill, so
// that resends stop multiplying the load once most attempts fail.

package middleware

import "sync/atomic"

// RetryBudget configures a Retry layer's retry budget, in the style of the
// AWS SDKs' retry quota. The budget is a bucket of Capacity tokens, full at
// the start. Every resend takes RetryCost tokens, or ThrottleCost when the
// attempt it follows was throttled (429), before it is sent; when the
// bucket holds too few, the call is not resent and ends with its last
// outcome. A call whose first attempt succeeds (a response below 400) puts
// SuccessRefund tokens back; a resend that succeeds puts back what it took.
// The bucket never holds more than Capacity.
//
// With the defaults (500, 14, 5, 1), a fully failed host gets at most about
// 35 resends from the layer (500/14) before the budget is spent, after which
// each call makes one attempt; each success earns back a fourteenth of a
// resend. Under a few failures the budget never runs dry. One budget is
// shared by every call through one layer (one client); it is not shared
// between replicas: the ratio of resends to successes is a local matter.
//
// The zero value is DefaultRetryBudget; a field at zero takes its default.
type RetryBudget struct {
	// Capacity is the bucket's size. Zero means 500; a negative value
	// turns the budget off (resends are bounded by MaxAttempts only).
	Capacity int
	// RetryCost is what a resend after a failure other than a throttle
	// takes. Zero or less means 14.
	RetryCost int
	// ThrottleCost is what a resend after a 429 takes. Zero or less means 5.
	ThrottleCost int
	// SuccessRefund is what a call whose first attempt succeeds puts back.
	// Zero or less means 1.
	SuccessRefund int
}

// DefaultRetryBudget is the budget of a Retry layer whose RetryOptions
// leave Budget at its zero value.
var DefaultRetryBudget = RetryBudget{Capacity: 500, RetryCost: 14, ThrottleCost: 5, SuccessRefund: 1}

// retryBudget is a RetryBudget's live bucket. A nil *retryBudget is no
// budget at all.
type retryBudget struct {
	capacity, retryCost, throttleCost, refund int64
	tokens                                    atomic.Int64
}

func newRetryBudget(o RetryBudget) *retryBudget {
	if o.Capacity < 0 {
		return nil
	}
	b := &retryBudget{
		capacity:     int64(o.Capacity),
		retryCost:    int64(o.RetryCost),
		throttleCost: int64(o.ThrottleCost),
		refund:       int64(o.SuccessRefund),
	}
	if b.capacity == 0 {
		b.capacity = int64(DefaultRetryBudget.Capacity)
	}
	if b.retryCost <= 0 {
		b.retryCost = int64(DefaultRetryBudget.RetryCost)
	}
	if b.throttleCost <= 0 {
		b.throttleCost = int64(DefaultRetryBudget.ThrottleCost)
	}
	if b.refund <= 0 {
		b.refund = int64(DefaultRetryBudget.SuccessRefund)
	}
	b.tokens.Store(b.capacity)
	return b
}

// take spends the cost of a resend after a throttled or failed attempt and
// returns it; ok is false when the bucket holds too few tokens. Without a
// budget every resend is free.
func (b *retryBudget) take(throttled bool) (cost int64, ok bool) {
	if b == nil {
		return 0, true
	}
	cost = b.retryCost
	if throttled {
		cost = b.throttleCost
	}
	for {
		n := b.tokens.Load()
		if n < cost {
			return 0, false
		}
		if b.tokens.CompareAndSwap(n, n-cost) {
			return cost, true
		}
	}
}

// succeeded refills the bucket after a call's successful attempt: by the
// cost that attempt's resend took (spent > 0), or by SuccessRefund for a
// first attempt.
func (b *retryBudget) succeeded(spent int64) {
	if b == nil {
		return
	}
	add := b.refund
	if spent > 0 {
		add = spent
	}
	for {
		n := b.tokens.Load()
		if n >= b.capacity {
			return
		}
		if b.tokens.CompareAndSwap(n, min(n+add, b.capacity)) {
			return
		}
	}
}
