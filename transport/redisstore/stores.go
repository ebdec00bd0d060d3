// stores.go: the three stores as the transport package takes them.

package redisstore

import "github.com/linkedin-go/linkedin/transport"

// Stores returns the store's quota, breaker and member-token stores for
// transport.WithStores:
//
//	st := redisstore.New(redisClient, redisstore.Options{Replicas: 20})
//	hc := transport.NewClient(transport.WithStores(st.Stores()), …)
func (s *Store) Stores() transport.Stores {
	return transport.Stores{Quota: s.quota, Breaker: s.breaker, Tokens: s.tokens}
}
