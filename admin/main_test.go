package admin

import (
	"os"
	"testing"

	"github.com/bawaba/checkout/internal/dbtest"
)

// TestMain runs the package's tests on SQLite, then on PostgreSQL (internal/dbtest).
func TestMain(m *testing.M) { os.Exit(dbtest.Main(m)) }
