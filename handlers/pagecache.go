package handlers

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"maps"
	"strconv"
	"sync"
	"time"

	"github.com/a-h/templ"
	"github.com/andybalholm/brotli"
	"github.com/gofiber/fiber/v2"

	"github.com/bawaba/checkout/order"
)

// keepMax bounds each map of a keep: when one is full it is emptied and fills again with what is
// asked for now (simpler than an LRU, and a reload storm only ever asks for a few pages).
const keepMax = 4096

// sessionKeep is how long a decoded session cookie is reused without decoding it again. The
// cookie's own age (a week) is checked when it is decoded; reusing it for a minute more at most
// is the price.
const sessionKeep = time.Minute

// keep holds what the shopper pages read and render, so that a reload of an order that did not
// change costs no query, no template and no cookie decoding (issue #11: the pay page near the
// speed of a static file):
//
//   - orders: an order as read, under the store's change counter taken before the read
//     (order.Service.Version). A write to the order commits, then moves the counter, so a kept
//     copy is never served once the order changed. Without a counter (PostgreSQL, several
//     nodes) nothing is kept. The copies are shared: the page handlers only read them.
//   - pages: rendered page bytes under a key naming everything the page is made of (the order's
//     counter, the language, the path and query, the shop's settings, and what the clock
//     changes: the status, the time left). Pages that ask a gateway (pending) are not kept.
//   - sessions: a session cookie's decoded values under the cookie's exact text, for
//     sessionKeep: the same bytes always decode the same way, so only the expiry is stretched.
type keep struct {
	mu       sync.RWMutex
	orders   map[string]keptOrder
	pages    map[string][]byte
	sessions map[string]keptSession
}

type keptOrder struct {
	version uint64
	o       order.Order
}

type keptSession struct {
	values map[any]any
	at     time.Time
}

func newKeep() *keep {
	return &keep{orders: map[string]keptOrder{}, pages: map[string][]byte{}, sessions: map[string]keptSession{}}
}

// put stores v under k in m, emptying m first when it is full. Call with k.mu held.
func put[V any](m map[string]V, key string, v V) {
	if len(m) >= keepMax {
		clear(m)
	}
	m[key] = v
}

// order returns the order as stored now, and the change counter it was read under (ok false:
// the page showing it must not be kept).
func (k *keep) order(ctx context.Context, orders *order.Service, id string) (o order.Order, version uint64, ok bool, err error) {
	version, ok = orders.Version(id)
	if ok {
		k.mu.RLock()
		kept, found := k.orders[id]
		k.mu.RUnlock()
		if found && kept.version == version {
			return kept.o, version, true, nil
		}
	}
	o, err = orders.Get(ctx, id)
	if err != nil || !ok {
		return o, version, false, err
	}
	k.mu.Lock()
	put(k.orders, id, keptOrder{version: version, o: o})
	k.mu.Unlock()
	return o, version, true, nil
}

func (k *keep) page(key string) ([]byte, bool) {
	k.mu.RLock()
	b, ok := k.pages[key]
	k.mu.RUnlock()
	return b, ok
}

func (k *keep) putPage(key string, b []byte) {
	k.mu.Lock()
	put(k.pages, key, b)
	k.mu.Unlock()
}

// session returns a copy of the values a cookie decoded to within sessionKeep.
func (k *keep) session(cookie string, now time.Time) (map[any]any, bool) {
	k.mu.RLock()
	s, ok := k.sessions[cookie]
	k.mu.RUnlock()
	if !ok || now.Sub(s.at) > sessionKeep {
		return nil, false
	}
	return maps.Clone(s.values), true
}

func (k *keep) putSession(cookie string, values map[any]any, now time.Time) {
	k.mu.Lock()
	put(k.sessions, cookie, keptSession{values: maps.Clone(values), at: now})
	k.mu.Unlock()
}

// pageKey names a shopper page of order o read under version: the page kind, the request's
// path and query (the language switch link repeats them), the language, the shop's settings and
// variant, what else the page shows that the clock or the handler decides.
func (s *ShopperDeps) pageKey(c *fiber.Ctx, kind string, version uint64, lang, variant string) string {
	shop := s.shop()
	return kind + "\x00" + strconv.FormatUint(version, 36) + "\x00" + c.OriginalURL() + "\x00" + lang + "\x00" +
		shop.Name + "\x00" + shop.Logo + "\x00" + shop.Brand + "\x00" + shop.Lang + "\x00" + variant
}

// renderKept is render for a page that may be kept under key ("" : never kept): the bytes kept
// under key are sent when there are some, else comp is rendered, sent and kept.
func (s *ShopperDeps) renderKept(c *fiber.Ctx, status int, key string, comp func() templ.Component) error {
	if key == "" {
		return s.render(c, status, comp())
	}
	if err := s.pageHeaders(c, status, nil); err != nil {
		return err
	}
	// The bytes are kept as sent: compressed once for browsers that take brotli or gzip (the
	// compress middleware leaves a body that already has a Content-Encoding alone).
	enc := ""
	switch {
	case acceptsEncoding(c, "br"):
		enc = "br"
	case acceptsEncoding(c, "gzip"):
		enc = "gzip"
	}
	c.Vary(fiber.HeaderAcceptEncoding)
	if enc != "" {
		c.Set(fiber.HeaderContentEncoding, enc)
	}
	key += "\x00" + enc
	if b, ok := s.keep.page(key); ok {
		return c.Send(b)
	}
	var buf bytes.Buffer
	if err := comp().Render(c.UserContext(), &buf); err != nil {
		return err
	}
	b, err := encode(enc, buf.Bytes())
	if err != nil {
		return err
	}
	s.keep.putPage(key, b)
	return c.Send(b)
}

// encode compresses a page that is kept, at a higher level than the per-response middleware
// can afford: it is done once per page version.
func encode(enc string, body []byte) ([]byte, error) {
	var buf bytes.Buffer
	var w io.WriteCloser
	switch enc {
	case "br":
		w = brotli.NewWriterLevel(&buf, 9)
	case "gzip":
		w, _ = gzip.NewWriterLevel(&buf, gzip.BestCompression)
	default:
		return body, nil
	}
	if _, err := w.Write(body); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
