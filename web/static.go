package web

import (
	"embed"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"sync"
)

//go:embed static
var staticFiles embed.FS

// staticAssets returns the files under /static/, rendered (hashed and compressed) once for the
// life of the process, on first use: not at every start of every command.
var staticAssets = sync.OnceValue(func() map[string]*Response {
	out := map[string]*Response{}
	err := fs.WalkDir(staticFiles, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := staticFiles.ReadFile(p)
		if err != nil {
			return err
		}
		ct := mime.TypeByExtension(path.Ext(p))
		switch path.Ext(p) {
		case ".css":
			ct = "text/css; charset=utf-8"
			body = append(body, stripCSS()...)
		case ".js":
			ct = "text/javascript; charset=utf-8"
		}
		out["/"+p] = newResponse(http.StatusOK, ct, body)
		return nil
	})
	if err != nil {
		panic(err)
	}
	return out
})
