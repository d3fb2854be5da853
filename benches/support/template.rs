//! A CloudFormation YAML template of a given size, generated: groups of the resources real
//! templates hold — a Lambda function with its inline code, its role (trust policy and an
//! inline policy), a bucket and its policy, every other group a queue and its policy — with a
//! misspelled action in one group out of ten, so that the server has a few findings to send.

use std::fmt::Write as _;

/// A template, and how many policies it holds.
pub struct Template {
    pub text: String,
    pub policies: usize,
}

const SERVICES: &[(&str, &[&str])] = &[
    (
        "s3",
        &[
            "GetObject",
            "PutObject",
            "ListBucket",
            "GetBucketLocation",
            "DeleteObject",
            "GetObjectTagging",
        ],
    ),
    (
        "dynamodb",
        &[
            "GetItem",
            "PutItem",
            "Query",
            "UpdateItem",
            "BatchWriteItem",
            "DescribeTable",
        ],
    ),
    (
        "sqs",
        &[
            "SendMessage",
            "ReceiveMessage",
            "DeleteMessage",
            "GetQueueAttributes",
            "ChangeMessageVisibility",
        ],
    ),
    (
        "logs",
        &[
            "CreateLogGroup",
            "CreateLogStream",
            "PutLogEvents",
            "DescribeLogStreams",
        ],
    ),
    (
        "kms",
        &["Decrypt", "Encrypt", "GenerateDataKey", "DescribeKey"],
    ),
];

/// A template of at least `target_bytes` bytes.
pub fn generate(target_bytes: usize) -> Template {
    let mut text = String::from(
        "AWSTemplateFormatVersion: '2010-09-09'\nDescription: Generated services for the latency bench\nParameters:\n  Stage:\n    Type: String\n    Default: prod\n  KeyArn:\n    Type: String\nResources:\n",
    );
    let mut policies = 0;
    let mut group = 0;
    while text.len() < target_bytes {
        policies += write_group(&mut text, group);
        group += 1;
    }
    text.push_str("Outputs:\n  FirstRole:\n    Value: !GetAtt Role0.Arn\n");
    Template { text, policies }
}

fn write_group(out: &mut String, i: usize) -> usize {
    let mut policies = 0;
    // The function, with its code inline.
    let _ = write!(
        out,
        "  Function{i}:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: !Sub '${{AWS::StackName}}-worker-{i}'
      Runtime: python3.12
      Handler: index.handler
      MemorySize: 256
      Timeout: 30
      Role: !GetAtt Role{i}.Arn
      Environment:
        Variables:
          TABLE_NAME: !Ref Table{i}
          BUCKET_NAME: !Ref Bucket{i}
          STAGE: !Ref Stage
      Code:
        ZipFile: |
          import json, os, boto3
          s3 = boto3.client('s3')
          table = boto3.resource('dynamodb').Table(os.environ['TABLE_NAME'])
          def handler(event, context):
              for record in event.get('Records', []):
                  body = json.loads(record['body'])
                  table.put_item(Item={{'id': body['id'], 'stage': os.environ['STAGE']}})
                  s3.put_object(Bucket=os.environ['BUCKET_NAME'], Key=body['id'], Body=record['body'])
              return {{'statusCode': 200}}
      Tags:
        - Key: team
          Value: platform
        - Key: group
          Value: '{i}'
"
    );
    // Its role: a trust policy and an inline policy.
    let _ = write!(
        out,
        "  Role{i}:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !Sub '${{AWS::StackName}}-role-{i}'
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal:
              Service: lambda.amazonaws.com
            Action: sts:AssumeRole
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole
      Policies:
        - PolicyName: worker-{i}
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
"
    );
    policies += 2;
    for (s, (service, actions)) in SERVICES.iter().enumerate() {
        let _ = write!(
            out,
            "              - Sid: {}{i}\n                Effect: Allow\n                Action:\n",
            service.to_ascii_uppercase()
        );
        for (a, action) in actions.iter().enumerate() {
            // One misspelled action in one group out of ten.
            let action = if i % 10 == 3 && s == 0 && a == 0 {
                "GetObjekt"
            } else {
                action
            };
            let _ = writeln!(out, "                  - {service}:{action}");
        }
        let resource = match *service {
            "s3" => format!("!Sub '${{Bucket{i}.Arn}}/*'"),
            "dynamodb" => format!("!GetAtt Table{i}.Arn"),
            "sqs" => format!("!GetAtt Queue{i}.Arn"),
            "kms" => "!Ref KeyArn".to_string(),
            _ => "'*'".to_string(),
        };
        let _ = writeln!(out, "                Resource: {resource}");
    }
    // A table, a bucket and its policy.
    let _ = write!(
        out,
        "  Table{i}:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - AttributeName: id
          AttributeType: S
      KeySchema:
        - AttributeName: id
          KeyType: HASH
  Bucket{i}:
    Type: AWS::S3::Bucket
    Properties:
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault:
              SSEAlgorithm: aws:kms
              KMSMasterKeyID: !Ref KeyArn
      VersioningConfiguration:
        Status: Enabled
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        BlockPublicPolicy: true
        IgnorePublicAcls: true
        RestrictPublicBuckets: true
  BucketPolicy{i}:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Bucket{i}
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Sid: DenyInsecureTransport
            Effect: Deny
            Principal: '*'
            Action: s3:*
            Resource:
              - !GetAtt Bucket{i}.Arn
              - !Sub '${{Bucket{i}.Arn}}/*'
            Condition:
              Bool:
                aws:SecureTransport: 'false'
          - Sid: AllowWorkerRead
            Effect: Allow
            Principal:
              AWS: !GetAtt Role{i}.Arn
            Action:
              - s3:GetObject
              - s3:ListBucket
            Resource:
              - !GetAtt Bucket{i}.Arn
              - !Sub '${{Bucket{i}.Arn}}/*'
"
    );
    policies += 1;
    let _ = write!(
        out,
        "  Queue{i}:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 60
      KmsMasterKeyId: !Ref KeyArn
"
    );
    if i.is_multiple_of(2) {
        let _ = write!(
            out,
            "  QueuePolicy{i}:
    Type: AWS::SQS::QueuePolicy
    Properties:
      Queues:
        - !Ref Queue{i}
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal:
              Service: sns.amazonaws.com
            Action: sqs:SendMessage
            Resource: !GetAtt Queue{i}.Arn
            Condition:
              ArnEquals:
                aws:SourceArn: !Sub 'arn:${{AWS::Partition}}:sns:${{AWS::Region}}:${{AWS::AccountId}}:events-{i}'
"
        );
        policies += 1;
    }
    policies
}
