package gateway

import (
	"fmt"
	"slices"
	"sort"
)

// Registry maps gateway names to connectors and methods to the gateways that serve them. A
// method may be served by several gateways in different currencies (cards: K-Pay in THB, Al
// Qaseh in IQD); the first registered that supports the currency wins. It is built once at
// start-up and read-only afterwards.
type Registry struct {
	byName   map[string]Gateway
	byMethod map[string][]Gateway
	obs      CallObserver
}

// Observe makes every connector the registry hands out report its calls to obs (metrics).
// Callers then ask for optional capabilities with As, never with a type assertion.
func (r *Registry) Observe(obs CallObserver) { r.obs = obs }

// handOut returns g as callers get it: wrapped when the registry is observed.
func (r *Registry) handOut(g Gateway) Gateway {
	if r.obs == nil {
		return g
	}
	return &observed{Gateway: g, obs: r.obs}
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{byName: map[string]Gateway{}, byMethod: map[string][]Gateway{}}
}

// Register adds a connector and routes the given methods to it.
func (r *Registry) Register(g Gateway, methods ...string) error {
	if _, dup := r.byName[g.Name()]; dup {
		return fmt.Errorf("gateway: %q registered twice", g.Name())
	}
	for _, m := range methods {
		if !KnownMethod(m) {
			return fmt.Errorf("gateway: unknown method %q for %s", m, g.Name())
		}
	}
	r.byName[g.Name()] = g
	for _, m := range methods {
		if !slices.Contains(r.byMethod[m], g) {
			r.byMethod[m] = append(r.byMethod[m], g)
		}
	}
	return nil
}

// Gateway returns the connector with that name.
func (r *Registry) Gateway(name string) (Gateway, bool) {
	g, ok := r.byName[name]
	if !ok {
		return nil, false
	}
	return r.handOut(g), true
}

// ForMethod returns the connector that serves the method in the currency.
func (r *Registry) ForMethod(method, currency string) (Gateway, bool) {
	for _, g := range r.byMethod[method] {
		if g.Supports(method, currency) {
			return r.handOut(g), true
		}
	}
	return nil, false
}

// Available returns the methods, in AllMethods order, that a configured gateway can take in
// the currency, restricted to allowed when allowed is not empty.
func (r *Registry) Available(currency string, allowed []string) []string {
	var out []string
	for _, m := range AllMethods {
		if _, ok := r.ForMethod(m, currency); !ok {
			continue
		}
		if len(allowed) > 0 && !slices.Contains(allowed, m) {
			continue
		}
		out = append(out, m)
	}
	return out
}

// Names returns the registered gateway names, sorted.
func (r *Registry) Names() []string {
	out := make([]string, 0, len(r.byName))
	for n := range r.byName {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
