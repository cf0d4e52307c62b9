package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"beacon/store"
)

// messageInput is an update's message as the command line gives it: --message TEXT,
// --message - (read from standard input), or --message-file PATH.
type messageInput struct {
	text string
	file string
}

// register adds --message and --message-file to cmd.
func (m *messageInput) register(cmd *cobra.Command, usage string) {
	f := cmd.Flags()
	f.StringVar(&m.text, "message", "", usage+`, in Markdown ("-" reads it from standard input)`)
	f.StringVar(&m.file, "message-file", "", "read the message from this file")
	_ = cmd.MarkFlagFilename("message-file")
}

// read returns the message, reading standard input or the file when asked to. Text read from
// a file or a pipe loses its trailing newline and Windows line ends; the store still checks it.
func (m *messageInput) read(cmd *cobra.Command) (string, error) {
	switch {
	case m.file != "" && cmd.Flags().Changed("message"):
		return "", usageError("give --message or --message-file, not both")
	case m.file != "":
		f, err := os.Open(m.file)
		if errors.Is(err, fs.ErrNotExist) {
			return "", invalidError("--message-file %s: no such file", m.file)
		}
		if err != nil {
			return "", invalidError("--message-file: %v", err)
		}
		defer f.Close()
		text, err := readMessage(f)
		if err != nil {
			return "", invalidError("--message-file %s: %v", m.file, err)
		}
		return text, nil
	case m.text == "-":
		in := cmd.InOrStdin()
		if f, ok := in.(*os.File); ok && isTerminal(f) {
			fmt.Fprintln(cmd.ErrOrStderr(), "Type the message, then press ctrl+d on a line of its own.")
		}
		text, err := readMessage(in)
		if err != nil {
			return "", fmt.Errorf("--message -: reading standard input: %w", err)
		}
		return text, nil
	}
	return m.text, nil
}

// require is read for a message that may not be empty; why says what it should say.
func (m *messageInput) require(cmd *cobra.Command, why string) (string, error) {
	text, err := m.read(cmd)
	if err == nil && strings.TrimSpace(text) == "" {
		err = usageError("--message is required: say %s", why)
	}
	return text, err
}

// readMessage reads at most one byte more than a message may hold, so a huge input is refused
// by the store's length check without being read whole.
func readMessage(r io.Reader) (string, error) {
	data, err := io.ReadAll(io.LimitReader(r, store.MaxMessageLen+1))
	if err != nil {
		return "", err
	}
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	return strings.TrimRight(strings.TrimLeft(text, "\n"), " \t\n"), nil
}
