// This file checks a source against LinkedIn's type and size limits before
// any request: MP4 videos, JPG/PNG/GIF images under the pixel and frame
// limits, PDF/PPT/PPTX/DOC/DOCX documents up to 100 MB.

package media

import (
	"bufio"
	"bytes"
	"errors"
	"image"
	_ "image/gif" // DecodeConfig for GIF
	_ "image/jpeg"
	_ "image/png"
	"io"
	"strconv"
)

// sniffVideo checks that head, the first bytes of a video, start an MP4
// file: a box of type ftyp.
func sniffVideo(head []byte) error {
	if len(head) < 8 || string(head[4:8]) != "ftyp" {
		return &LimitError{Kind: "video", Limit: "type", Reason: "not an MP4 file (no ftyp box)"}
	}
	return nil
}

// sniffVideoAt reads the head of r and checks that r holds size bytes.
func sniffVideoAt(r io.ReaderAt, size int64) error {
	head := make([]byte, min(12, size))
	if n, err := r.ReadAt(head, 0); n < len(head) {
		return &SourceError{Reason: "cannot read the first bytes", Err: err}
	}
	var last [1]byte
	if n, err := r.ReadAt(last[:], size-1); n != 1 {
		return &SourceError{Reason: "shorter than its size " + strconv.FormatInt(size, 10), Err: err}
	}
	return sniffVideo(head)
}

// imageFormat returns "jpeg", "png" or "gif" for the magic bytes of head.
func imageFormat(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte{0xFF, 0xD8, 0xFF}):
		return "jpeg"
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return "png"
	case bytes.HasPrefix(head, []byte("GIF87a")), bytes.HasPrefix(head, []byte("GIF89a")):
		return "gif"
	}
	return ""
}

// checkImage checks an image's type, pixel count and GIF frame count,
// reading its header (and, for a GIF, its block structure) from r.
func checkImage(r io.ReaderAt, size int64) error {
	head := make([]byte, min(16, size))
	if _, err := r.ReadAt(head, 0); err != nil && !errors.Is(err, io.EOF) {
		return &SourceError{Reason: "cannot read the first bytes", Err: err}
	}
	format := imageFormat(head)
	if format == "" {
		return &LimitError{Kind: "image", Limit: "type", Reason: "not a JPG, PNG or GIF image"}
	}
	cfg, _, err := image.DecodeConfig(io.NewSectionReader(r, 0, size))
	if err != nil {
		return &LimitError{Kind: "image", Limit: "type", Reason: "unreadable " + format + " header"}
	}
	if px := int64(cfg.Width) * int64(cfg.Height); px >= MaxImagePixels {
		return &LimitError{Kind: "image", Limit: "pixels", Reason: strconv.Itoa(cfg.Width) + "x" +
			strconv.Itoa(cfg.Height) + " is " + strconv.FormatInt(px, 10) + " pixels, not under " + strconv.Itoa(MaxImagePixels)}
	}
	if format == "gif" {
		n, err := gifFrames(io.NewSectionReader(r, 0, size), MaxGIFFrames+1)
		if err != nil {
			return &LimitError{Kind: "image", Limit: "type", Reason: "malformed GIF: " + err.Error()}
		}
		if n > MaxGIFFrames {
			return &LimitError{Kind: "image", Limit: "frames", Reason: "more than " + strconv.Itoa(MaxGIFFrames) + " GIF frames"}
		}
	}
	return nil
}

// checkDocument checks a document's type by its magic bytes: PDF, the OLE2
// container of PPT and DOC, or the ZIP container of PPTX and DOCX.
func checkDocument(head []byte) error {
	switch {
	case bytes.HasPrefix(head, []byte("%PDF-")),
		bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}),
		bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return nil
	}
	return &LimitError{Kind: "document", Limit: "type", Reason: "not a PDF, PPT, PPTX, DOC or DOCX file"}
}

var errGIF = errors.New("truncated or invalid block")

// gifFrames counts the image descriptors of a GIF without decoding pixels,
// stopping once it has counted limit. It walks the block structure: header,
// logical screen descriptor, optional global color table, then extension
// blocks (0x21), image descriptors (0x2C) and the trailer (0x3B).
func gifFrames(r io.Reader, limit int) (int, error) {
	br := bufio.NewReaderSize(r, 4096)
	var hdr [13]byte
	if _, err := io.ReadFull(br, hdr[:]); err != nil {
		return 0, errGIF
	}
	if !bytes.HasPrefix(hdr[:], []byte("GIF87a")) && !bytes.HasPrefix(hdr[:], []byte("GIF89a")) {
		return 0, errors.New("not a GIF")
	}
	if hdr[10]&0x80 != 0 {
		if _, err := br.Discard(3 << (int(hdr[10]&7) + 1)); err != nil {
			return 0, errGIF
		}
	}
	frames := 0
	for {
		b, err := br.ReadByte()
		if err != nil {
			return frames, errGIF
		}
		switch b {
		case 0x3B:
			return frames, nil
		case 0x21:
			if _, err := br.ReadByte(); err != nil {
				return frames, errGIF
			}
			if err := skipSubBlocks(br); err != nil {
				return frames, err
			}
		case 0x2C:
			var d [9]byte
			if _, err := io.ReadFull(br, d[:]); err != nil {
				return frames, errGIF
			}
			if d[8]&0x80 != 0 {
				if _, err := br.Discard(3 << (int(d[8]&7) + 1)); err != nil {
					return frames, errGIF
				}
			}
			if _, err := br.ReadByte(); err != nil { // LZW minimum code size
				return frames, errGIF
			}
			if err := skipSubBlocks(br); err != nil {
				return frames, err
			}
			frames++
			if frames >= limit {
				return frames, nil
			}
		default:
			return frames, errors.New("unknown block 0x" + strconv.FormatUint(uint64(b), 16))
		}
	}
}

// skipSubBlocks skips data sub-blocks up to the zero-length terminator.
func skipSubBlocks(br *bufio.Reader) error {
	for {
		n, err := br.ReadByte()
		if err != nil {
			return errGIF
		}
		if n == 0 {
			return nil
		}
		if _, err := br.Discard(int(n)); err != nil {
			return errGIF
		}
	}
}
