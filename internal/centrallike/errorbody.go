package centrallike

import (
	"context"
	"net/http"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/dynamicpb"
)

// writeCentralError is Central's gateway error handler
// (pkg/grpc/server_error_handler.go): grpc-gateway's DefaultHTTPErrorHandler
// sets the headers and the status — HTTPStatusFromCode, WWW-Authenticate on
// Unauthenticated — and its body is thrown away for Central's own, which
// repeats the message under "error" as grpc-gateway v1 did.
func (s *Server) writeCentralError(ctx context.Context, mux *runtime.ServeMux, marshaler runtime.Marshaler,
	w http.ResponseWriter, r *http.Request, err error,
) {
	runtime.DefaultHTTPErrorHandler(ctx, mux, marshaler, bodyDiscarder{w}, r, err)

	st := status.Convert(err).Proto()
	body := dynamicpb.NewMessage(s.schema.errorStatus)
	fields := s.schema.errorStatus.Fields()
	body.Set(fields.ByName("code"), protoreflect.ValueOfInt32(st.GetCode()))
	body.Set(fields.ByName("message"), protoreflect.ValueOfString(st.GetMessage()))
	body.Set(fields.ByName("error"), protoreflect.ValueOfString(st.GetMessage()))
	details := body.Mutable(fields.ByName("details")).List()
	for _, d := range st.GetDetails() {
		details.Append(protoreflect.ValueOfMessage(d.ProtoReflect()))
	}

	// As in Central, a body that will not marshal or write is given up on:
	// the status line has gone out already.
	buf, _ := marshaler.Marshal(body)
	_, _ = w.Write(buf)
}

// bodyDiscarder lets DefaultHTTPErrorHandler set headers and the status but
// drops what it writes, as Central's responseWriterWrapper does.
type bodyDiscarder struct {
	http.ResponseWriter
}

func (bodyDiscarder) Write(b []byte) (int, error) { return len(b), nil }
